import CPUID
import Dispatch
import Synchronization
import KVM
import XCTest

final class GuestProbeTests: XCTestCase {
    func testProbeOfSupportedTableHasNoRealMismatch() throws {
        let kvm = try KVMTestSupport.system()
        let table = try kvm.supportedCPUID()
        let result = try GuestProbe(table: table).run(using: kvm)
        XCTAssertEqual(result.comparison.mismatches.map(\.target), [],
                       result.comparison.mismatches.map { "\($0.target): \($0.mismatches)" }.joined(separator: "\n"))
        XCTAssertEqual(result.comparison.verifiedEntryCount, table.count)
        XCTAssertEqual(result.targets.count, table.count + result.comparison.outOfRangeFindings.count)
        XCTAssertGreaterThanOrEqual(result.comparison.outOfRangeFindings.count, 3)
        XCTAssertEqual(result.exits, result.targets.count * 4 + 1, "four OUTs per probe and one HLT")
        // In real mode CR4 is 0, so the guest must see OSXSAVE clear whatever the table says.
        let leaf1 = try XCTUnwrap(result.targets.firstIndex(of: ProbeTarget(LeafKey(1, 0), .tableEntry)))
        XCTAssertEqual(result.observed[leaf1].ecx & (1 << 27), 0)
    }

    func testSGXLeafIsSeenAsSetEvenWhenUnsupported() throws {
        let kvm = try KVMTestSupport.system()
        var table = try kvm.supportedCPUID()
        if table.maxBasicLeaf < 0x12 { table.set(0, 0, .eax, to: 0x12) }
        table.set(7, 0, .ebx, to: table.value(7, 0, .ebx) | 1 << 2)
        // sgx1, sgx2 and edeccssa in 0x12.0 EAX, as a VMM might force them with --allow-unsupported.
        table.set(CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0x803, ebx: 0x1, ecx: 0, edx: 0x241F, significantIndex: true))
        table.set(CPUIDEntry(leaf: 0x12, subleaf: 1, eax: 0x4B6, ebx: 0, ecx: 0x3, edx: 0, significantIndex: true))
        let result = try GuestProbe(table: table).run(using: kvm)
        let index = try XCTUnwrap(result.targets.firstIndex(of: ProbeTarget(LeafKey(0x12, 0), .tableEntry)))
        XCTAssertEqual(result.observed[index].eax, 0x803)
        XCTAssertEqual(result.observed[index].eax & (1 << 0 | 1 << 1 | 1 << 11), 0x803)
        XCTAssertTrue(result.comparison.findings[index].isExact)
        XCTAssertEqual(result.guestView.value(0x12, 1, .eax), 0x4B6)
        XCTAssertFalse(result.comparison.hasMismatch)
    }

    func testOutOfRangeProbesFollowAKnownRuleForEitherVendor() throws {
        let kvm = try KVMTestSupport.system()
        let supported = try kvm.supportedCPUID()
        for vendor in ["GenuineIntel", "AuthenticAMD"] {
            var table = supported
            let bytes = Array(vendor.utf8)
            func word(_ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[i + $1]) << (8 * UInt32($1)) } }
            table.set(0, 0, .ebx, to: word(0))
            table.set(0, 0, .edx, to: word(4))
            table.set(0, 0, .ecx, to: word(8))
            XCTAssertEqual(table.vendor, vendor)
            let result = try GuestProbe(table: table).run(using: kvm)
            let outOfRange = result.comparison.outOfRangeFindings
            XCTAssertEqual(Set(outOfRange.map(\.target.kind)),
                           [.beyondMaxBasicLeaf, .beyondMaxExtendedLeaf, .unlistedSubleaf])
            for finding in outOfRange {
                XCTAssertNotNil(finding.observedRule, "\(vendor) \(finding.target): \(finding.observed)")
                XCTAssertFalse(finding.isMismatch, "\(vendor) \(finding.target)")
                if vendor == "AuthenticAMD" {
                    // Upstream and this machine agree: AMD guests get zeros beyond the range.
                    XCTAssertFalse(finding.isOutOfRangeDeviation, "\(finding.target)")
                }
            }
        }
    }

    func testGuestThatNeverHaltsIsStoppedByTheTimeout() throws {
        let kvm = try KVMTestSupport.system()
        let table = try kvm.supportedCPUID()
        _ = try GuestProbe(table: table).run(using: kvm)   // warm up process-wide state (dispatch threads)
        let before = try ResourceCounts.now()
        let spin = try CPUIDProbeProgram.spinForever()
        let started = ContinuousClock.now
        do {
            _ = try GuestProbe.execute(code: spin, table: table,
                                       timeout: .milliseconds(200), using: kvm) { _ in true }
            XCTFail("a spinning guest must time out")
        } catch {
            XCTAssertEqual(error, .timedOut(after: .milliseconds(200), reportsReceived: 0))
            XCTAssertTrue(error.description.contains("did not halt"), error.description)
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(200))
        XCTAssertLessThan(elapsed, .seconds(5))
        try KVMTestSupport.assertNoLeak(since: before, runs: 1)
    }

    func testThousandProbeRunsLeakNoDescriptorOrMapping() throws {
        let kvm = try KVMTestSupport.system()
        // A small table keeps the test fast; every resource (VM, memory, vCPU, kvm_run, timer) is still made.
        let table = Snapshot(try kvm.supportedCPUID().entries.filter { [0, 1, 7, 0x8000_0000].contains($0.leaf) })
        let probe = GuestProbe(table: table)
        _ = try probe.run(using: kvm)   // warm up lazily created process state (signal handler, dispatch)
        let before = try ResourceCounts.now()
        for _ in 0..<1000 {
            let result = try probe.run(using: kvm)
            XCTAssertFalse(result.comparison.hasMismatch)
        }
        try KVMTestSupport.assertNoLeak(since: before, runs: 1000)
    }

    func testEmptyOrOversizedGuestCodeIsRefused() throws {
        let kvm = try KVMTestSupport.system()
        for code in [[UInt8](), [UInt8](repeating: 0xF4, count: 0x1_0000)] {
            do {
                _ = try GuestProbe.execute(code: code, table: Snapshot(), timeout: .seconds(1), using: kvm) { _ in true }
                XCTFail("\(code.count) bytes of code must be refused")
            } catch {
                guard case .assembler(.segmentOverflow) = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testRefusedTableNamesTheEntry() throws {
        let kvm = try KVMTestSupport.system()
        var table = try kvm.supportedCPUID()
        // Linear-address width other than 48 or 57 (0x80000008 EAX[15:8]) is refused by kvm_check_cpuid.
        table.set(0x8000_0008, 0, .eax, to: table.value(0x8000_0008, 0, .eax) & ~0xFF00 | 40 << 8)
        let vm = try kvm.createVirtualMachine()
        let vcpu = try vm.createVCPU()
        do {
            let application = try vcpu.apply(table)
            throw XCTSkip("this KVM accepts a 40-bit linear address width (held \(Hex.word(application.readBack.value(0x8000_0008, 0, .eax))))")
        } catch let error as KVMCPUIDApplyError {
            guard case let .refused(refusal) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(refusal.errno, EINVAL)
            XCTAssertEqual(refusal.culprits.map(\.key), [LeafKey(0x8000_0008, 0)])
            XCTAssertTrue(refusal.description.contains("KVM_SET_CPUID2 failed: EINVAL"), refusal.description)
            XCTAssertTrue(refusal.description.contains("0x80000008.0x00"), refusal.description)
        }
    }
}

extension GuestProbeTests {
    /// The timeout signals only the thread whose guest spins; a probe on another thread is not disturbed.
    func testTimeoutOnOneThreadLeavesAnotherThreadsProbeAlone() throws {
        let kvm = try KVMTestSupport.system()
        let table = try kvm.supportedCPUID()
        let spin = try CPUIDProbeProgram.spinForever()
        let outcomes = Mutex<[Int: String]>([:])
        let spinnerDone = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let outcome: String
            do {
                let system = try KVMSystem()
                if index == 0 {
                    defer { spinnerDone.store(true, ordering: .sequentiallyConsistent) }
                    _ = try GuestProbe.execute(code: spin, table: table, timeout: .milliseconds(300), using: system) { _ in true }
                    outcome = "spinning guest halted"
                } else {
                    // Probe continuously until the other thread's timeout has fired and been handled.
                    var runs = 0
                    var mismatched = 0
                    while !spinnerDone.load(ordering: .sequentiallyConsistent) || runs < 5 {
                        if try GuestProbe(table: table).run(using: system).comparison.hasMismatch { mismatched += 1 }
                        runs += 1
                    }
                    outcome = runs >= 5 && mismatched == 0 ? "clean runs" : "\(mismatched) of \(runs) runs mismatched"
                }
            } catch {
                outcome = "\(error)"
            }
            outcomes.withLock { $0[index] = outcome }
        }
        let results = outcomes.withLock { $0 }
        XCTAssertEqual(results[0], GuestProbeError.timedOut(after: .milliseconds(300), reportsReceived: 0).description)
        XCTAssertEqual(results[1], "clean runs")
    }
}
