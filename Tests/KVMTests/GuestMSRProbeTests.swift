import CPUID
import KVM
import XCTest

/// The guest's RDMSR probes: values KVM_SET_MSRS wrote come back through RDMSR in the guest; an MSR the guest
/// may not read takes #GP, which the handler turns into a "faulted" report without ending the run.
final class GuestMSRProbeTests: XCTestCase {
    func testWrittenMSRsAreReadByTheGuestAndFaultsAreReported() throws {
        let kvm = try KVMTestSupport.system()
        let table = try kvm.supportedCPUID()
        var probe = GuestProbe(table: table)
        probe.msrWrites = [MSR(0x8B, .value(0x0000_1234_0000_0000))]
        probe.msrReads = [0x8B, 0xDEAD_0000, 0xCE]
        let result = try probe.run(using: kvm)
        XCTAssertEqual(result.comparison.mismatches.map(\.target), [])
        XCTAssertEqual(result.msrReadBack, [MSR(0x8B, .value(0x0000_1234_0000_0000))], "KVM_GET_MSRS on the vCPU")
        XCTAssertEqual(result.msrObserved.count, 3)
        XCTAssertEqual(result.msrObserved[0], MSR(0x8B, .value(0x0000_1234_0000_0000)), "UCODE_REV as written")
        XCTAssertEqual(result.msrObserved[1], MSR(0xDEAD_0000, .faulted), "an MSR no one implements takes #GP")
        XCTAssertNotEqual(result.msrObserved[2].value, .faulted, "PLATFORM_INFO is readable by default")
    }

    func testAShortKVMSetMSRsCountNamesTheRefusedMSR() throws {
        let kvm = try KVMTestSupport.system()
        var probe = GuestProbe(table: try kvm.supportedCPUID())
        probe.msrWrites = [MSR(0x8B, .value(1)), MSR(0xDEAD_0000, .value(1))]
        XCTAssertThrowsError(try probe.run(using: kvm)) { error in
            guard case let .msrRefused(msr, written, count)? = error as? GuestProbeError else {
                return XCTFail("expected msrRefused, got \(error)")
            }
            XCTAssertEqual(msr.index, 0xDEAD_0000)
            XCTAssertEqual(written, 1)
            XCTAssertEqual(count, 2)
        }
    }
}
