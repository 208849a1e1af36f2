import CPUID
import XCTest
@testable import KVM

/// Composed tables given to this machine's KVM and checked from inside a real guest.
final class GuestVerificationTests: XCTestCase {
    func liveComposition(_ edits: [GuestPolicy.Edit] = [], allowUnsupported: Bool = false,
                         using system: borrowing KVMSystem) throws -> GuestComposition {
        let base = GuestBase(kind: .live, snapshot: try system.supportedCPUID(), name: "KVM_GET_SUPPORTED_CPUID (live)")
        return try GuestTableComposer(directory: TestDirectory.table)
            .compose(GuestPolicy(edits: edits, allowUnsupported: allowUnsupported), on: base)
    }

    func testTheLiveTableIsVerified() throws {
        let system = try KVMTestSupport.system()
        let composition = try liveComposition(using: system)
        let verification = try GuestVerification.run(composition, using: system)
        XCTAssertTrue(verification.passed, verification.failures.map { "\($0.target) \($0.mismatches)" }.joined(separator: "\n"))
        XCTAssertEqual(verification.verifiedEntries, composition.table.count)
        XCTAssertEqual(verification.exactEntries + verification.entriesChangedByKVM.count, verification.verifiedEntries)
        XCTAssertEqual(verification.observed(0, 0)?.eax, composition.table.maxBasicLeaf, "leaf 0 is never overridden")
        XCTAssertTrue(verification.summary.hasPrefix("guest verified: \(composition.table.count) entries"), verification.summary)
    }

    func testTheGuestSeesEnabledSGXLeafFunctions() throws {
        let system = try KVMTestSupport.system()
        let composition = try liveComposition([.enable(["sgx", "sgx1", "sgx2", "sgx-edeccssa"])],
                                              allowUnsupported: true, using: system)
        let verification = try GuestVerification.run(composition, using: system)
        XCTAssertTrue(verification.passed)
        let eax = try XCTUnwrap(verification.observed(0x12, 0)).eax
        for bit in [0, 1, 11] { XCTAssertNotEqual(eax & (1 << UInt32(bit)), 0, "bit \(bit) of 0x12.0 EAX") }
    }

    /// KVM-backed mappings (the vCPU's kvm_run area shows as anon_inode:kvm-vcpu) in /proc/self/maps.
    func kvmMappingCount() throws -> Int {
        try String(contentsOfFile: "/proc/self/maps", encoding: .utf8).split(separator: "\n").filter { $0.contains("kvm") }.count
    }

    func testRepeatedVerificationsLeakNoDescriptorOrMapping() throws {
        let system = try KVMTestSupport.system()
        let composition = try liveComposition(using: system)
        // Warm up: the allocator settles its arenas in the first runs.
        for _ in 0..<20 { _ = try GuestVerification.run(composition, using: system) }
        let descriptors = try KVMTestSupport.openDescriptorCount()
        let mappings = try KVMTestSupport.mappingCount()
        let kvmMappings = try kvmMappingCount()
        let runs = 200
        for _ in 0..<runs {
            let verification = try GuestVerification.run(composition, using: system)
            XCTAssertTrue(verification.passed)
        }
        XCTAssertEqual(try KVMTestSupport.openDescriptorCount(), descriptors)
        XCTAssertEqual(try kvmMappingCount(), kvmMappings)
        // A leak would add a mapping per run (two: kvm_run and guest memory); heap growth adds a few at most.
        XCTAssertLessThan(try KVMTestSupport.mappingCount(), mappings + runs / 10)
    }

    func testReportLine() throws {
        _ = try KVMTestSupport.system()
        let line = try XCTUnwrap(GuestVerification.reportLine())
        XCTAssertTrue(line.hasPrefix("guest verified: "), line)
        XCTAssertFalse(line.contains("mismatch"), line)
        XCTAssertNil(GuestVerification.reportLine(path: "/nonexistent/kvm"))
    }
}
