import SGX
import XCTest

final class ScenarioRunnerTests: XCTestCase {
    func run(_ text: String, trace: Bool = false) throws -> ScenarioRun {
        ScenarioRunner(traceEveryStep: trace).run(try ScenarioParser.parse(text, name: "t.sgx"))
    }

    func testEveryExampleScenarioPasses() throws {
        let directory = repositoryRoot.appendingPathComponent("Examples/sgx")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sgx") }.sorted()
        XCTAssertEqual(files.count, 5, "examples (a)-(e)")
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let run = ScenarioRunner().run(try ScenarioParser.parse(text, name: file))
            XCTAssertTrue(run.passed, "\(file): \(run.failedExpectations)")
            XCTAssertTrue(run.unexpectedFaults.isEmpty, "\(file): \(run.unexpectedFaults)")
            XCTAssertGreaterThan(run.expectations.count, 3, file)
        }
    }

    func testTwoStageHandlerSurvivesTenThousandInterruptsWithinTwoFrames() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Examples/sgx/a-sdk-two-stage-handler.sgx"), encoding: .utf8)
        let run = ScenarioRunner().run(try ScenarioParser.parse(text, name: "a"))
        XCTAssertTrue(run.passed)
        XCTAssertEqual(run.maxCSSA, 2)
        XCTAssertGreaterThan(run.operations, 30_000)
    }

    func testFailedExpectationNamesItsLine() throws {
        let run = try run("eenter\naex\nexpect cssa=1\nexpect cssa=2 mode=enclave")
        XCTAssertFalse(run.passed)
        XCTAssertEqual(run.failedExpectations.map(\.line), [4, 4])
        XCTAssertEqual(run.failedExpectations.first?.actual, "cssa=1")
    }

    func testFaultExpectationIsAboutTheStepJustBefore() throws {
        XCTAssertTrue(try run("eenter\nedeccssa\nexpect fault=#GP cssa=0").passed)
        XCTAssertFalse(try run("eenter\nedeccssa\naex\nexpect fault=#GP").passed, "AEX did not fault")
        XCTAssertTrue(try run("eenter\nedeccssa\nexpect cssa=0\nexpect fault=#GP").passed, "expects are not steps")
    }

    func testUnacknowledgedFaultIsReportedButOnlyStrictModeFails() throws {
        let run = try run("eenter\nedeccssa\nexpect cssa=0\neexit")
        XCTAssertTrue(run.passed)
        XCTAssertFalse(run.passedStrictly)
        XCTAssertEqual(run.unexpectedFaults.map(\.line), [2])
        XCTAssertEqual(run.unexpectedFaults.first?.fault, "#GP(0)")
    }

    func testFaultInsideRepeatStopsItAndIsSeenByTheNextExpect() throws {
        let run = try run("""
            config nssa=2
            eenter
            set ssa[0].aexnotify=1
            set ssa[1].aexnotify=1
            repeat 100 { aex; eresume }
            expect fault=#GP cssa=2 mode=outside
            """)
        XCTAssertTrue(run.passed, "\(run.failedExpectations)")
        XCTAssertTrue(run.unexpectedFaults.isEmpty)
        let summary = run.trace.first { $0.kind == .repeatBlock }
        XCTAssertEqual(summary?.result.contains("1 of 100 iterations"), true, summary?.result ?? "")
        XCTAssertEqual(run.trace.first { $0.fault != nil }?.iteration, "2")
    }

    func testExpectInsideRepeatIsCheckedEveryIteration() throws {
        let run = try run("eenter\nrepeat 5 { aex; expect cssa=1; eresume; expect cssa=0 maxcssa=1 }")
        XCTAssertTrue(run.passed)
        let failing = try self.run("eenter\nrepeat 5 { aex; expect cssa=1; eresume; expect cssa=1 }")
        XCTAssertFalse(failing.passed)
        XCTAssertEqual(failing.failedExpectations.count, 1, "recorded once per line")
        XCTAssertEqual(failing.failedExpectations.first?.iteration, "1")
    }

    func testFullTraceRecordsEveryIteration() throws {
        let compact = try run("eenter\nrepeat 10 { aex; eresume }")
        let full = try run("eenter\nrepeat 10 { aex; eresume }", trace: true)
        XCTAssertEqual(compact.trace.filter { $0.kind == .operation }.count, 1)
        XCTAssertEqual(full.trace.filter { $0.kind == .operation }.count, 21)
        XCTAssertEqual(full.trace.last { $0.kind == .operation }?.step, 21)
    }

    /// The issue's own example line, `expect cssa=1 mode=enclave rax=2 state=active`, after EDECCSSA from a
    /// notification at CSSA 2: EDECCSSA changes no register.
    func testEDECCSSAKeepsRAXOfTheNotification() throws {
        let run = try run("""
            config nssa=3
            eenter
            set ssa[0].aexnotify=1
            set ssa[1].aexnotify=1
            aex
            eresume
            aex
            eresume
            expect fault=none cssa=2 mode=enclave rax=2
            edeccssa
            expect cssa=1 mode=enclave rax=2 state=active
            """)
        XCTAssertTrue(run.passed, "\(run.failedExpectations)")
    }
}
