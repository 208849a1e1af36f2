@testable import Pictures
import SGX
import XCTest

final class SSATimelineTests: XCTestCase {
    static func run(_ example: String, traced: Bool = true) throws -> ScenarioRun {
        let path = PicturesFixtures.path("Examples/sgx/\(example)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return ScenarioRunner(traceEveryStep: traced).run(try ScenarioParser.parse(text, name: example))
    }

    /// The 10,000-iteration repeat is drawn as its first and last iterations and a count.
    func testTenThousandIterationsDrawCompressed() throws {
        let run = try Self.run("a-sdk-two-stage-handler.sgx")
        XCTAssertGreaterThan(run.trace.count, 90_000)
        let timeline = SSATimeline(run, passed: run.passed)
        let gaps = timeline.columns.compactMap { column -> (String, Int)? in
            if case let .compressed(iterations, _, operations) = column { return (iterations, operations) }
            return nil
        }
        XCTAssertEqual(gaps.count, 1)
        XCTAssertEqual(gaps.first?.0, "2–9999")
        XCTAssertEqual(gaps.first?.1, 9_998 * 9)
        XCTAssertLessThan(timeline.columns.count, 80)
        let iterations = Set(timeline.columns.compactMap { column -> String? in
            if case let .step(record) = column { return record.iteration }
            return nil
        })
        XCTAssertEqual(iterations, ["1", "10000"])

        let html = timeline.html(header: .standard(read: "a", kernel: nil, generated: "now"))
        XCTAssertLessThan(html.utf8.count, 100_000)
        XCTAssertEqual(PicturesFixtures.externalURLs(html), 0)
        XCTAssertTrue(html.contains("PASS"))
        XCTAssertTrue(html.contains("… iterations 2–9999<br>89982 operations …"))
        // Frame 0 armed after `set ssa[0].aexnotify=1`, the current frame outlined, a saved frame after AEX.
        XCTAssertTrue(html.contains("<div class=\"frame cur armed\">SSA[0]</div>"))
        XCTAssertTrue(html.contains("<div class=\"frame saved armed\">SSA[0]</div>"))
        XCTAssertTrue(html.contains("<div class=\"exp ok\""))
        XCTAssertFalse(html.contains("<div class=\"exp bad\""))
    }

    /// Nested repeats: each level keeps its first and last iteration, the gaps name the iterations they hold.
    func testNestedRepeatsCompressAtEveryLevel() throws {
        let text = "config nssa=2\neenter\nrepeat 3 { repeat 100 { aex; eresume } }\nexpect cssa=0\neexit\n"
        let run = ScenarioRunner(traceEveryStep: true).run(try ScenarioParser.parse(text, name: "nested"))
        let columns = SSATimeline(run, passed: run.passed).columns
        let gaps = columns.compactMap { column -> String? in
            if case let .compressed(iterations, _, operations) = column { return "\(iterations):\(operations)" }
            return nil
        }
        XCTAssertEqual(gaps, ["1.2–1.99:196", "2.1–2.100:200", "3.2–3.99:196"])
        let kept = Set(columns.compactMap { column -> String? in
            if case let .step(record) = column { return record.iteration }
            return nil
        })
        XCTAssertEqual(kept, ["1", "1.1", "1.100", "3", "3.1", "3.100"])
    }

    /// A fault is marked, and the frames are drawn from the trace's own record of them.
    func testFaultsAndFailuresAreMarked() throws {
        let run = try Self.run("b-handler-without-edeccssa.sgx")
        let html = SSATimeline(run, passed: run.passed).html(header: .standard(read: "b", kernel: nil, generated: "now"))
        XCTAssertTrue(html.contains("<div class=\"col fault\">"))
        XCTAssertTrue(html.contains("#GP(0)"))
        XCTAssertTrue(run.trace.allSatisfy { $0.aexNotify.count == Int($0.nssa) })
    }

    /// The frames recorded for pictures stay out of `sgx simulate --json`.
    func testTraceJSONKeepsItsShape() throws {
        let run = try Self.run("d-plain-aex-eresume.sgx", traced: false)
        let json = String(decoding: try JSONEncoder().encode(run.trace[0]), as: UTF8.self)
        XCTAssertFalse(json.contains("aexNotify"))
        XCTAssertTrue(json.contains("\"cssa\""))
    }
}

import Foundation
