import CPUID
import XCTest

/// The enumeration rules walked over a made-up CPU whose every answer the test chooses.
final class EnumerationTests: XCTestCase {
    /// A CPU that answers from a table and zero elsewhere, recording what it was asked.
    final class FakeCPU {
        var answers: [LeafKey: Registers] = [:]
        var asked: [LeafKey] = []
        func query(_ key: LeafKey) -> Registers {
            asked.append(key)
            return answers[key] ?? .zero
        }
        func set(_ leaf: UInt32, _ subleaf: UInt32 = 0, eax: UInt32 = 0, ebx: UInt32 = 0, ecx: UInt32 = 0, edx: UInt32 = 0) {
            answers[LeafKey(leaf, subleaf)] = Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx)
        }
    }

    private func makeCPU() -> FakeCPU {
        let cpu = FakeCPU()
        cpu.set(0, eax: 0x14, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69)
        cpu.set(1, eax: 0x906ea, ecx: 1 << 31)
        cpu.set(4, 0, eax: 0x121)
        cpu.set(4, 1, eax: 0x122)
        cpu.set(4, 2, eax: 0x143)
        cpu.set(7, 0, eax: 1)
        cpu.set(7, 1, eax: 0x10)
        cpu.set(0xB, 0, ecx: 0x100)
        cpu.set(0xB, 1, ecx: 0x201)
        cpu.set(0xD, 0, eax: 0x207, edx: 0)                // XCR0: x87, SSE, AVX, PKRU (9)
        cpu.set(0xD, 1, eax: 0xf, ecx: 1 << 11, edx: 1)    // XSS: CET user (11) and bit 32
        cpu.set(0x10, 0, ebx: 0b110)                         // L3 and L2 allocation
        cpu.set(0x12, 0, eax: 0x803)                          // SGX1, SGX2, EDECCSSA
        cpu.set(0x12, 2, eax: 0x1)
        cpu.set(0x12, 3, eax: 0x1)
        cpu.set(0x14, 0, eax: 1)
        cpu.set(0x4000_0000, eax: 0x4000_0003, ebx: 0x4b4d_564b, ecx: 0x564b_4d56, edx: 0x4d)
        cpu.set(0x4000_0100, eax: 0x1234_5678)              // garbage: beyond its window
        cpu.set(0x8000_0000, eax: 0x8000_0008)
        cpu.set(0x8086_0000, eax: 0x0000_0007)              // garbage: not a 0x8086xxxx maximum
        cpu.set(0xC000_0000, eax: 0xC000_0001)
        cpu.set(0x2000_0000, eax: 0x1)                      // garbage
        return cpu
    }

    func testWalkFollowsEveryRule() {
        let cpu = makeCPU()
        let s = Enumeration.walk { (key: LeafKey) in cpu.query(key) }
        XCTAssertEqual(s.subleaves(of: 4).map(\.subleaf), [0, 1, 2, 3], "leaf 4 lists its type-0 terminator, as cpuid -r does")
        XCTAssertEqual(s.subleaves(of: 7).map(\.subleaf), [0, 1], "7.0 EAX = 1 is the highest subleaf")
        XCTAssertEqual(s.subleaves(of: 0xB).map(\.subleaf), [0, 1, 2], "0xB ends at level type 0, listed")
        XCTAssertEqual(s.subleaves(of: 0xD).map(\.subleaf), [0, 1, 2, 9, 11, 32], "XCR0 | XSS bits from 2 to 62 (XSS EDX bit 0 is component 32)")
        XCTAssertEqual(s.subleaves(of: 0x10).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(s.subleaves(of: 0x12).map(\.subleaf), [0, 1, 2, 3, 4], "0x12: 0 and 1 always, EPC sections until type 0")
        XCTAssertEqual(s.subleaves(of: 0x14).map(\.subleaf), [0, 1])
        XCTAssertEqual(s.subleaves(of: 0x13).map(\.subleaf), [0])
        XCTAssertNotNil(s.entry(0x14, 0))
        XCTAssertNil(s.entry(0x15), "leaf 0x15 is above the highest basic leaf 0x14")
        XCTAssertEqual(s.keys.filter { $0.leaf >> 28 == 4 }.map(\.leaf), [0x4000_0000, 0x4000_0001, 0x4000_0002, 0x4000_0003, 0x4000_0100],
                       "hypervisor window 0 to its maximum; the next window's probe kept, its garbage maximum refused")
        XCTAssertEqual(s.keys.filter { $0.leaf >> 28 == 8 }.count, 9 + 1, "0x80000000-0x80000008 and the Transmeta probe")
        XCTAssertEqual(s.keys.filter { $0.leaf >> 28 == 0xC }.map(\.leaf), [0xC000_0000, 0xC000_0001])
        XCTAssertEqual(s.keys.filter { $0.leaf >> 28 == 2 }.map(\.leaf), [0x2000_0000])
        XCTAssertEqual(s.hypervisorVendor, "KVMKVMKVM")
        XCTAssertEqual(Set(cpu.asked).count, cpu.asked.count, "no (leaf, subleaf) is asked twice")
    }

    func testXSAVEUsesBothHalvesOfXCR0AndXSS() {
        let cpu = FakeCPU()
        cpu.set(0, eax: 0xD)
        cpu.set(0xD, 0, eax: 0x3, edx: 1 << 30)   // XCR0 bit 62
        cpu.set(0xD, 1, ecx: 1 << 8)               // XSS bit 8 (PT)
        let s = Enumeration.walk { (key: LeafKey) in cpu.query(key) }
        XCTAssertEqual(s.subleaves(of: 0xD).map(\.subleaf), [0, 1, 8, 62])
    }

    func testNoHypervisorRangeWithoutTheHypervisorBit() {
        let cpu = makeCPU()
        cpu.set(1, eax: 0x906ea, ecx: 0)
        let s = Enumeration.walk { (key: LeafKey) in cpu.query(key) }
        XCTAssertTrue(s.keys.allSatisfy { $0.leaf >> 28 != 4 })
        XCTAssertFalse(cpu.asked.contains(LeafKey(0x4000_0000)))
    }

    func testGarbageExtendedMaximumKeepsOnlyTheProbe() {
        let cpu = FakeCPU()
        cpu.set(0, eax: 1)
        cpu.set(0x8000_0000, eax: 0x0000_0001)  // an old CPU answering the highest basic leaf's data
        let s = Enumeration.walk { (key: LeafKey) in cpu.query(key) }
        XCTAssertEqual(s.keys.filter { $0.leaf >= 0x8000_0000 && $0.leaf < 0x8086_0000 }, [LeafKey(0x8000_0000)])
        XCTAssertEqual(s.maxExtendedLeaf, 0)
    }

    func testAMDCacheLeafOmitsItsTerminatorAndLoopsAreBounded() {
        let cpu = FakeCPU()
        cpu.set(0, eax: 4)
        cpu.set(0x8000_0000, eax: 0x8000_001D)
        for sub in UInt32(0)..<3 { cpu.set(0x8000_001D, sub, eax: 0x121 + sub) }
        for sub in UInt32(0)..<1000 { cpu.set(4, sub, eax: 1) }   // a CPU that never ends leaf 4
        let s = Enumeration.walk { (key: LeafKey) in cpu.query(key) }
        XCTAssertEqual(s.subleaves(of: 0x8000_001D).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(UInt32(s.subleaves(of: 4).count), SubleafEnumeration.subleafLimit)
    }

    func testIndexedLeavesAreExactlyTheRuleTable() {
        XCTAssertEqual(SubleafRules.indexedLeaves, Set(Enumeration.subleafRules.keys))
        XCTAssertTrue(SubleafRules.hasSubleaves(0x12))
        XCTAssertFalse(SubleafRules.hasSubleaves(0x1))
    }

    func testImplementedRangesOfAWalkedSnapshot() {
        let cpu = makeCPU()
        let ranges = Enumeration.walk { (key: LeafKey) in cpu.query(key) }.implementedRanges
        XCTAssertEqual(ranges.map(\.name), ["basic", "hypervisor", "extended", "Centaur/Zhaoxin"])
        XCTAssertEqual(ranges[1].leaves, 0x4000_0000...0x4000_0003)
        XCTAssertEqual(ranges[1].signature, "KVMKVMKVM")
    }

    func testCPUListNotation() {
        XCTAssertEqual(CPUList.parse("0-3,8,10-11\n"), [0, 1, 2, 3, 8, 10, 11])
        XCTAssertNil(CPUList.parse("0-x"))
        XCTAssertEqual(CPUList.format([0, 1, 2, 5, 7, 8]), "0-2,5,7-8")
    }
}
