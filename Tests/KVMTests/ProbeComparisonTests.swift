import CPUID
import KVM
import XCTest

/// The lookup rule and the classification, on hand-made tables (no /dev/kvm needed).
final class ProbeComparisonTests: XCTestCase {
    /// Leaf 0 with max basic leaf 0xD and the given vendor, leaf 1, 7.0, 0xB.0/1, 0xD.0/1, 0x80000000-1.
    private func table(vendor: String) -> Snapshot {
        let b = Array(vendor.utf8)
        func word(_ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) } }
        return Snapshot([
            CPUIDEntry(leaf: 0, eax: 0xD, ebx: word(0), ecx: word(8), edx: word(4), significantIndex: false),
            CPUIDEntry(leaf: 1, eax: 0xA10F11, ebx: 0x0102_0800, ecx: 0x8800_2000, edx: 0x078B_FBFF, significantIndex: false),
            CPUIDEntry(leaf: 7, subleaf: 0, eax: 0, ebx: 0x0180_0002, ecx: 0x10, edx: 0, significantIndex: true),
            CPUIDEntry(leaf: 0xB, subleaf: 0, eax: 1, ebx: 1, ecx: 0x100, edx: 7, significantIndex: true),
            CPUIDEntry(leaf: 0xB, subleaf: 1, eax: 4, ebx: 2, ecx: 0x201, edx: 7, significantIndex: true),
            CPUIDEntry(leaf: 0xD, subleaf: 0, eax: 0x7, ebx: 0x340, ecx: 0x340, edx: 0, significantIndex: true),
            CPUIDEntry(leaf: 0xD, subleaf: 1, eax: 0xF, ebx: 0x340, ecx: 0, edx: 0, significantIndex: true),
            CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0001, ebx: 0, ecx: 0, edx: 0, significantIndex: false),
            CPUIDEntry(leaf: 0x8000_0001, eax: 0, ebx: 0, ecx: 0x1, edx: 0x2000_0000, significantIndex: false),
        ])
    }

    func testLookupOfListedAndUnindexedEntries() {
        let t = table(vendor: "GenuineIntel")
        let (r, rule) = KVMCPUIDLookup.expected(t, leaf: 1, subleaf: 5)
        XCTAssertEqual(r, t.registers(1))
        XCTAssertEqual(rule, .tableEntry(LeafKey(1, 0)), "leaf 1 ignores ECX")
        XCTAssertEqual(KVMCPUIDLookup.expected(t, leaf: 7, subleaf: 0).rule, .tableEntry(LeafKey(7, 0)))
    }

    func testOutOfRangeIsTheMaxBasicLeafForIntelAndZerosForAMD() {
        let intel = table(vendor: "GenuineIntel")
        let beyond = KVMCPUIDLookup.expected(intel, leaf: 0xE, subleaf: 0)
        XCTAssertEqual(beyond.rule, .maxBasicLeaf(LeafKey(0xD, 0)))
        XCTAssertEqual(beyond.registers, intel.registers(0xD, 0))
        // The index of the original request is kept: 0x80000002.1 -> 0xD.1.
        XCTAssertEqual(KVMCPUIDLookup.expected(intel, leaf: 0x8000_0002, subleaf: 1).registers, intel.registers(0xD, 1))
        let amd = table(vendor: "AuthenticAMD")
        XCTAssertEqual(KVMCPUIDLookup.expected(amd, leaf: 0xE, subleaf: 0).rule, .zeros)
        XCTAssertEqual(KVMCPUIDLookup.expected(amd, leaf: 0x8000_0002, subleaf: 0).registers, .zero)
    }

    func testUnlistedSubleafInRangeIsZeroExceptTopologyLeaves() {
        let intel = table(vendor: "GenuineIntel")
        XCTAssertEqual(KVMCPUIDLookup.expected(intel, leaf: 7, subleaf: 3).rule, .zeros)
        let topology = KVMCPUIDLookup.expected(intel, leaf: 0xB, subleaf: 5)
        XCTAssertEqual(topology.rule, .topologyPassThrough(leaf: 0xB))
        XCTAssertEqual(topology.registers, Registers(eax: 0, ebx: 0, ecx: 5, edx: 7))
    }

    func testRunTimeFieldsAreNamedNotMismatches() {
        let t = table(vendor: "GenuineIntel")
        var seen = t.registers(1)!
        seen.ecx &= ~(1 << 27)              // OSXSAVE follows CR4
        seen.ebx = (seen.ebx & 0x00FF_FFFF)  // APIC ID 1 -> 0
        var xsave = t.registers(0xD, 0)!
        xsave.ebx = 0x240
        var leaf7 = t.registers(7, 0)!
        leaf7.ecx &= ~0x10                  // OSPKE follows CR4
        let comparison = ProbeComparison.compare(table: t, observations: [
            (ProbeTarget(LeafKey(1, 0), .tableEntry), seen),
            (ProbeTarget(LeafKey(0xD, 0), .tableEntry), xsave),
            (ProbeTarget(LeafKey(7, 0), .tableEntry), leaf7),
        ])
        XCTAssertFalse(comparison.hasMismatch)
        XCTAssertEqual(comparison.verifiedEntryCount, 3)
        let names = Set(comparison.runTimeDifferences.map(\.difference.field.name))
        XCTAssertEqual(names, ["OSXSAVE", "initial APIC ID", "XSAVE area size (XCR0)", "OSPKE"])
    }

    func testOtherBitsAreRealMismatches() {
        let t = table(vendor: "GenuineIntel")
        var seen = t.registers(7, 0)!
        seen.ebx &= ~(1 << 1)               // a feature bit gone, not a run-time field
        seen.ecx &= ~0x10                   // plus OSPKE, which is one
        let comparison = ProbeComparison.compare(table: t, observations: [(ProbeTarget(LeafKey(7, 0), .tableEntry), seen)])
        XCTAssertTrue(comparison.hasMismatch)
        let finding = comparison.findings[0]
        XCTAssertEqual(finding.mismatches, [RegisterDifference(register: .ebx, expected: 0x0180_0002, observed: 0x0180_0000, bits: 0x2)])
        XCTAssertEqual(finding.runTime.map(\.field.name), ["OSPKE"])
    }

    func testChangesKVMAnnouncedAreNotMismatches() {
        let t = table(vendor: "AuthenticAMD")
        var held = t
        held.set(1, 0, .ecx, to: 0xF7F8_3203)
        let seen = held.registers(1)!
        let comparison = ProbeComparison.compare(table: t, held: held,
                                                 observations: [(ProbeTarget(LeafKey(1, 0), .tableEntry), seen)])
        XCTAssertFalse(comparison.hasMismatch)
        XCTAssertEqual(comparison.changedByKVM.count, 1)
        XCTAssertEqual(comparison.findings[0].changedByKVM.first?.register, .ecx)
    }

    func testOutOfRangeDeviationIsObservedNotAssumed() {
        // An Intel-vendor table whose KVM answered zeros beyond the range (as kvm_pvm does).
        let t = table(vendor: "GenuineIntel")
        let comparison = ProbeComparison.compare(table: t, observations: [
            (ProbeTarget(LeafKey(0xE, 0), .beyondMaxBasicLeaf), .zero),
            (ProbeTarget(LeafKey(0x8000_0002, 0), .beyondMaxExtendedLeaf), t.registers(0xD, 0)!),
            (ProbeTarget(LeafKey(0xE, 0), .beyondMaxBasicLeaf), Registers(eax: 9, ebx: 9, ecx: 9, edx: 9)),
        ])
        XCTAssertEqual(comparison.findings[0].observedRule, .zeros)
        XCTAssertTrue(comparison.findings[0].isOutOfRangeDeviation)
        XCTAssertFalse(comparison.findings[0].isMismatch)
        XCTAssertEqual(comparison.findings[1].observedRule, .maxBasicLeaf(LeafKey(0xD, 0)))
        XCTAssertFalse(comparison.findings[1].isOutOfRangeDeviation)
        XCTAssertTrue(comparison.findings[1].isExact)
        XCTAssertNil(comparison.findings[2].observedRule)
        XCTAssertTrue(comparison.findings[2].isMismatch, "an answer no rule explains is a mismatch")
    }

    func testOutOfRangeTargetsAreUnlisted() {
        let t = table(vendor: "GenuineIntel")
        let targets = ProbeTarget.outOfRange(for: t)
        XCTAssertEqual(targets, [
            ProbeTarget(LeafKey(0xE, 0), .beyondMaxBasicLeaf),
            ProbeTarget(LeafKey(0x8000_0002, 0), .beyondMaxExtendedLeaf),
            ProbeTarget(LeafKey(7, 1), .unlistedSubleaf),
            ProbeTarget(LeafKey(0xB, 2), .unlistedSubleaf),
        ])
        for target in targets { XCTAssertNil(t.entry(target.key.leaf, target.key.subleaf)) }
    }

    func testApplicationChangesNameRunTimeFields() {
        let t = table(vendor: "GenuineIntel")
        var held = t
        held.set(0xD, 0, .ebx, to: 0x240)
        held.set(1, 0, .ecx, to: t.value(1, 0, .ecx) | 1 << 5)
        held.remove(0x8000_0001)
        let changes = KVMCPUIDApplication.changes(from: t, to: held)
        XCTAssertEqual(changes.count, 3)
        XCTAssertTrue(changes.contains { $0.key == LeafKey(0xD, 0) && $0.isRunTimeField })
        XCTAssertTrue(changes.contains { $0.key == LeafKey(1, 0) && !$0.isRunTimeField })
        XCTAssertTrue(changes.contains { $0.kind == .dropped(t.registers(0x8000_0001)!) })
    }
}

extension ProbeComparisonTests {
    func testFindingDescriptionsNameTheVerdict() {
        let t = table(vendor: "GenuineIntel")
        var leaf7 = t.registers(7, 0)!
        leaf7.ebx ^= 0x2
        let comparison = ProbeComparison.compare(table: t, observations: [
            (ProbeTarget(LeafKey(1, 0), .tableEntry), t.registers(1)!),
            (ProbeTarget(LeafKey(7, 0), .tableEntry), leaf7),
            (ProbeTarget(LeafKey(0xE, 0), .beyondMaxBasicLeaf), .zero),
        ])
        XCTAssertEqual(comparison.findings[0].description, "0x00000001.0x00 (table entry): as set")
        XCTAssertTrue(comparison.findings[1].description.contains("MISMATCH: EBX"), comparison.findings[1].description)
        XCTAssertTrue(comparison.findings[2].description.contains("answered by no entry: all zero, where upstream KVM gives out of range"),
                      comparison.findings[2].description)
    }
}
