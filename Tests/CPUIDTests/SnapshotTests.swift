import CPUID
import XCTest

final class SnapshotTests: XCTestCase {
    private func intelLike() -> Snapshot {
        Snapshot([
            CPUIDEntry(leaf: 0, eax: 0x16, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69),
            CPUIDEntry(leaf: 1, eax: 0x0009_06ea, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 7, subleaf: 1, eax: 0x1, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 7, subleaf: 0, eax: 0x1, ebx: 0x4, ecx: 0, edx: 0),
        ])
    }

    func testVendorAndSignatureUseExtendedModel() {
        let s = intelLike()
        XCTAssertEqual(s.vendor, "GenuineIntel")
        XCTAssertEqual(s.signature.family, 6)
        XCTAssertEqual(s.signature.model, 0x9e)
        XCTAssertEqual(s.signature.stepping, 0xa)
    }

    func testExtendedFamilyOnlyForBaseFamily15() {
        XCTAssertEqual(CPUSignature(eax: 0x00a2_0f10).family, 0x19)
        XCTAssertEqual(CPUSignature(eax: 0x00a2_0f10).model, 0x21)
        XCTAssertEqual(CPUSignature(eax: 0x0010_0543).family, 5, "extended family ignored below 0xF")
        XCTAssertEqual(CPUSignature(eax: 0x0010_0543).model, 4, "extended model ignored below family 6")
    }

    func testEntriesAreSortedAndFieldsRead() {
        let s = intelLike()
        XCTAssertEqual(s.keys, [LeafKey(0), LeafKey(1), LeafKey(7, 0), LeafKey(7, 1)])
        XCTAssertTrue(s.isSet(CPUIDField(7, 0, .ebx, bit: 2)))
        XCTAssertFalse(s.isSet(CPUIDField(7, 0, .ebx, bit: 3)))
        XCTAssertEqual(s.read(CPUIDField(1, 0, .eax, bits: 7, 4)), 0xe)
        XCTAssertEqual(CPUIDField(0x12, 0, .eax, bit: 11).description, "CPUID.(EAX=12H,ECX=0):EAX[11]")
        XCTAssertEqual(CPUIDField(1, 0, .ebx, bits: 31, 24).description, "CPUID.(EAX=01H):EBX[31:24]")
    }

    func testLeafWithoutSubleavesAnswersEverySubleaf() {
        let s = intelLike()
        XCTAssertEqual(s.registers(1, 5)?.eax, 0x0009_06ea)
        XCTAssertNil(s.registers(7, 5), "leaf 7 is indexed: an unlisted subleaf is unknown")
    }

    func testLaterDuplicateWinsAndSetKeepsOrder() {
        var s = Snapshot([CPUIDEntry(leaf: 3, eax: 1, ebx: 0, ecx: 0, edx: 0),
                          CPUIDEntry(leaf: 3, eax: 2, ebx: 0, ecx: 0, edx: 0)])
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(s.value(3, 0, .eax), 2)
        s.set(2, 0, .ecx, to: 9)
        XCTAssertEqual(s.keys, [LeafKey(2), LeafKey(3)])
    }
}
