import CPUID
import SGX
import XCTest

final class SGXPlatformTests: XCTestCase {
    func testLeaf12CountsOnlyWithSGXEnumerated() {
        let leaf12 = [
            CPUIDEntry(leaf: 0, eax: 0x1b, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0x803, ebx: 1, ecx: 0, edx: 0x241f),
            CPUIDEntry(leaf: 0x12, subleaf: 1, eax: 0x4f6, ebx: 0, ecx: 0x3, edx: 0),
        ]
        let without = SGXPlatform(Snapshot(leaf12 + [CPUIDEntry(leaf: 7, eax: 0, ebx: 0, ecx: 0, edx: 0)]))
        XCTAssertFalse(without.sgx1)
        let with = SGXPlatform(Snapshot(leaf12 + [CPUIDEntry(leaf: 7, eax: 0, ebx: 0x4, ecx: 0, edx: 0)]))
        XCTAssertTrue(with.sgx1)
        XCTAssertTrue(with.edeccssa)
        XCTAssertTrue(with.aexNotifyAttribute)
    }
}
