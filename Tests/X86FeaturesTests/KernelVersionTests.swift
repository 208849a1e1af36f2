import X86Features
import XCTest

final class KernelVersionTests: XCTestCase {
    func testParsesReleaseStrings() {
        XCTAssertEqual(KernelVersion("6.18.44-fc-v669"), KernelVersion(6, 18, 44))
        XCTAssertEqual(KernelVersion("6.18.44-fc-v1045")?.release, KernelVersion(6, 18))
        XCTAssertEqual(KernelVersion("v6.2"), KernelVersion(6, 2))
        XCTAssertEqual(KernelVersion("5.15"), KernelVersion(5, 15))
        XCTAssertEqual(KernelVersion("6.8.12")?.patch, 12)
        XCTAssertEqual(KernelVersion("6.8.12")?.description, "6.8.12")
        XCTAssertEqual(KernelVersion("6.8-rc3"), KernelVersion(6, 8))
        XCTAssertNil(KernelVersion("6.8-rc3")?.patch)
        XCTAssertNil(KernelVersion("six"))
        XCTAssertNil(KernelVersion("6"))
        XCTAssertLessThan(KernelVersion(6, 2), KernelVersion(6, 11))
        XCTAssertLessThan(KernelVersion(6, 1), KernelVersion(6, 1, 158))
    }

    func testTheReleaseItselfEqualsItsDotZero() {
        XCTAssertEqual(KernelVersion(6, 1), KernelVersion(6, 1, 0))
        XCTAssertEqual(Set([KernelVersion(6, 1), KernelVersion(6, 1, 0)]).count, 1)
        XCTAssertFalse(KernelVersion(6, 1, 0).isPointRelease)
        XCTAssertTrue(KernelVersion(6, 1, 158).isPointRelease)
    }

    func testSuccessorsCrossMajorLines() {
        XCTAssertTrue(KernelVersion(5, 19).isFollowed(by: KernelVersion(6, 0)))
        XCTAssertTrue(KernelVersion(6, 19).isFollowed(by: KernelVersion(7, 0)))
        XCTAssertTrue(KernelVersion(6, 1).isFollowed(by: KernelVersion(6, 2)))
        XCTAssertFalse(KernelVersion(6, 2).isFollowed(by: KernelVersion(6, 4)))
        XCTAssertFalse(KernelVersion(5, 15).isFollowed(by: KernelVersion(6, 0)))
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
