import Foundation
import CCPUID
import CPUID
import XCTest
@testable import KVM

/// the live base is asked on CPU 0, so the APIC ID KVM copies into it does not depend on
/// which CPU the scheduler happened to run the process on.
final class GuestLiveBasePinningTests: XCTestCase {
    func testLiveBaseCarriesCPU0sAPICID() throws {
        _ = try KVMTestSupport.system()
        let host = try LiveCPU.snapshot(cpu: 0, source: .instruction)
        // Run this thread on the last online CPU, so that an unpinned query would see another APIC ID.
        let last = try XCTUnwrap(LiveCPU.onlineCPUs().last)
        var previous = ccpuid_cpu_mask()
        XCTAssertEqual(ccpuid_get_affinity(&previous), 0)
        var target = ccpuid_cpu_mask()
        ccpuid_mask_clear(&target)
        XCTAssertEqual(ccpuid_mask_set(&target, Int32(last)), 0)
        XCTAssertEqual(ccpuid_set_affinity(&target), 0)
        defer { _ = ccpuid_set_affinity(&previous) }
        for _ in 0..<4 {
            let base = try GuestBase.live()
            XCTAssertEqual(base.snapshot.value(0x1, 0, .ebx) >> 24, host.value(0x1, 0, .ebx) >> 24,
                           "1.EBX[31:24] of the live base is CPU 0's initial APIC ID")
        }
    }
}

/// A file base names its CPU: a CPU the dump lacks is an error naming the CPUs it has, not CPU 0 silently.
final class GuestFileBaseTests: XCTestCase {
    func testAMissingCPUOfAFileBaseIsAnError() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/formats/epyc-2cpu.cpuid-r.txt").path
        XCTAssertEqual(try GuestBase.file(path: path, cpu: 1).snapshot.value(1, 0, .ebx) >> 24, 1)
        XCTAssertThrowsError(try GuestBase.file(path: path, cpu: 7)) { error in
            XCTAssertEqual((error as? DumpError)?.kind, .noSuchCPU(7, available: [0, 1]))
            XCTAssertTrue("\(error)".hasSuffix("has no CPU 7 (it has 0-1)"), "\(error)")
        }
    }
}
