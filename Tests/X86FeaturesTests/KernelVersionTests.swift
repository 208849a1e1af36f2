import X86Features
import XCTest

final class KernelVersionTests: XCTestCase {
    func testParsesReleaseStrings() {
        XCTAssertEqual(KernelVersion("6.18.44-fc-v669"), KernelVersion(6, 18))
        XCTAssertEqual(KernelVersion("v6.2"), KernelVersion(6, 2))
        XCTAssertNil(KernelVersion("six"))
        XCTAssertLessThan(KernelVersion(6, 2), KernelVersion(6, 11))
    }

    func testCapabilityWordsRoundTripFeatureNumbers() {
        var caps = CapabilityWords(count: 22)
        let edeccssa = FeatureNumber(word: 11, bit: 18)
        caps.insert(edeccssa)
        XCTAssertTrue(caps.contains(edeccssa))
        XCTAssertEqual(caps.members, [edeccssa])
        XCTAssertEqual(edeccssa.description, "11*32+18")
        caps.remove(edeccssa)
        XCTAssertFalse(caps.contains(edeccssa))
    }
}
