@testable import Fleet
import XCTest

final class ProgressLineTests: XCTestCase {
    func testTextShowsCountRateAndTimeLeft() {
        XCTAssertEqual(ProgressLine.text(done: 12_000, total: 100_000, noun: "dumps", elapsed: 0.5),
                       "12,000/100,000 dumps  24,000/s  4 s left")
        XCTAssertEqual(ProgressLine.text(done: 7, total: nil, noun: "hosts", elapsed: 1), "7 hosts  7/s")
    }

    func testNothingIsDrawnWhenDisabled() {
        var line = ProgressLine(total: 10, noun: "dumps", enabled: false)
        line.update(5)
        line.finish()
    }

    func testFeatureWordsRoundTripThroughTheirStoredForm() throws {
        let words = FeatureWords(try FleetFixtures.snapshot(FleetFixtures.iceLake))
        XCTAssertEqual(FeatureWords(bytes: words.bytes), words)
        XCTAssertEqual(FeatureWords(bytes: Array(words.bytes.prefix(8))).values.dropFirst(2).allSatisfy { $0 == 0 }, true)
    }
}
