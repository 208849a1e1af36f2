import CPUID
import XCTest
@testable import X86Features

/// Tables that name a Linux feature instead of its coordinates read them here; check the reading itself.
final class LinuxFeatureFieldTests: XCTestCase {
    func testMirroredWordsAndScatteredRowsGiveTheirCPUIDBits() {
        XCTAssertEqual(LinuxFeatureField.of("SGX"), CPUIDField(0x7, 0, .ebx, bit: 2), "word 9 mirrors 7.0 EBX")
        XCTAssertEqual(LinuxFeatureField.of("XMM3"), CPUIDField(0x1, 0, .ecx, bit: 0), "word 4 mirrors 1 ECX")
        XCTAssertEqual(LinuxFeatureField.of("SGX_EDECCSSA"), CPUIDField(0x12, 0, .eax, bit: 11), "a scattered row")
        XCTAssertEqual(LinuxFeatureField.of("SGX1"), CPUIDField(0x12, 0, .eax, bit: 0))
        XCTAssertEqual(LinuxFeatureField.bit(of: "AVX512F"), 16)
    }

    func testSyntheticAndUnknownNamesHaveNoField() {
        XCTAssertNil(LinuxFeatureField.of("CONSTANT_TSC"), "word 3 is Linux-defined")
        XCTAssertNil(LinuxFeatureField.of("NOT_A_FEATURE"))
    }
}
