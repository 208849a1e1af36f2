import ArgumentParser
import CPUID
import Pictures
import SGX

/// `vcpuid sgx simulate FILE`: runs a scenario on the enclave-thread model and checks its expectations.
struct SGXSimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run an SGX scenario (eenter, aex, eresume, edeccssa, eexit, set, repeat, expect) on the thread model.",
        discussion: """
            Exit status: 0 when every `expect` holds, 1 when one fails (the line is named), 2 when the scenario \
            is malformed (file:line:column). The format is described in docs/sgx.md; examples are in Examples/sgx/.

            A scenario, one step per line:
              config nssa=2 cpu.edeccssa=1
              eenter
              aex
              expect cssa=1 mode=outside
              repeat 1000 { eresume; aex }
            Examples:
              vcpuid sgx simulate Examples/sgx/a-sdk-two-stage-handler.sgx
              vcpuid sgx simulate my.sgx --trace --cpuid host.cpuid
            """
    )

    @Argument(help: "The scenario file ('-' reads standard input).")
    var file: String

    @Flag(help: "Trace every operation, including each iteration of every repeat.")
    var trace = false

    @Flag(help: "Also fail (exit 1) when a fault is not acknowledged by an `expect fault=` right after it.")
    var strict = false

    @Option(name: .customLong("cpuid"), help: ArgumentHelp(
        "Take cpu.sgx1, cpu.edeccssa and cpu.aexnotify from this CPUID dump instead of the scenario's config.",
        valueName: "dump"))
    var cpuidDump: String?

    @Flag(help: "Print the run as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write the run as a self-contained HTML timeline of the SSA stack (repeats drawn compressed).",
                               valueName: "out.html"))
    var html: String?

    struct Output: Encodable {
        var passed: Bool
        var run: ScenarioRun
    }

    /// The scenario's text; an unreadable, directory, binary or non-UTF-8 file is a positioned error (exit 2).
    func readScenarioText() throws -> String {
        let name = file == "-" ? "<stdin>" : file
        do {
            let bytes = try DumpReader.readBytes(path: file)
            try bytes.withUnsafeBufferPointer { buffer throws(DumpError) in try DumpReader.checkText(buffer, name: name) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                printToStandardError("\(name): error: expected UTF-8 text (a scenario, one step per line)")
                throw ExitCode(ExitStatus.failure)
            }
            return text
        } catch let error as DumpError {
            var place = error.file
            if let line = error.line, let column = error.column { place += ":\(line):\(column)" }
            let message = switch error.kind {
            case let .binary(byte): "binary data (byte 0x\(Hex.digits(UInt32(byte), count: 2))): expected a text scenario"
            default: error.message
            }
            printToStandardError("\(place): error: \(message)")
            throw ExitCode(ExitStatus.failure)
        }
    }

    func run() throws {
        let text = try readScenarioText()
        var scenario: SGXScenario
        do {
            scenario = try ScenarioParser.parse(text, name: file == "-" ? "<stdin>" : file)
        } catch {
            printToStandardError(error.description)
            throw ExitCode(ExitStatus.failure)
        }
        if let cpuidDump {
            let platform: SGXPlatform
            do {
                platform = SGXPlatform(try DumpReader.read(path: cpuidDump).first)
            } catch {
                printToStandardError("\(error)")
                throw ExitCode(ExitStatus.failure)
            }
            scenario.configuration.cpuSGX1 = platform.sgx1
            scenario.configuration.cpuEDECCSSA = platform.edeccssa
            scenario.configuration.cpuAEXNotify = platform.aexNotifyAttribute
        }
        let result = ScenarioRunner(traceEveryStep: trace).run(scenario)
        let passed = strict ? result.passedStrictly : result.passed
        if let html {
            let traced = trace ? result : ScenarioRunner(traceEveryStep: true).run(scenario)
            let header = ReportHeader.standard(read: file == "-" ? "standard input" : file, kernel: nil,
                                               extra: cpuidDump.map { [("CPU features from", $0)] } ?? [])
            try HTMLFile.write(SSATimeline(traced, passed: passed).html(header: header), to: html)
        }
        if json {
            print(try SGXTable.json(Output(passed: passed, run: result)))
        } else {
            print(render(result, passed: passed))
        }
        if !passed {
            for failure in result.failedExpectations {
                let at = failure.iteration.map { " (repeat iteration \($0))" } ?? ""
                printToStandardError("\(result.scenario):\(failure.line): expectation failed\(at): expected \(failure.expected), found \(failure.actual)")
            }
            if strict {
                for fault in result.unexpectedFaults {
                    printToStandardError("\(result.scenario):\(fault.line): unexpected \(fault.fault) from \(fault.operation): \(fault.rule)")
                }
            }
            throw ExitCode(ExitStatus.negativeVerdict)
        }
    }

    func render(_ run: ScenarioRun, passed: Bool) -> String {
        var lines = ["scenario  \(run.scenario)", "config    \(run.configuration)", ""]
        let rows = run.trace.map { record -> [String] in
            let step = record.step.map(String.init) ?? ""
            var line = String(record.line)
            if let iteration = record.iteration { line += " #\(iteration)" }
            let result = record.fault.map { "\($0) \(record.result)" } ?? record.result
            return [step, line, record.text, "\(record.cssa)/\(record.nssa)", record.mode, record.state, String(record.rax), result]
        }
        lines.append(SGXTable.render(["step", "line", "operation", "CSSA/NSSA", "mode", "state", "RAX", "fault or effect"], rows))
        lines.append("")
        let holding = run.expectations.filter(\.holds).count
        lines.append("expectations  \(holding) of \(run.expectations.count) hold")
        for failure in run.failedExpectations {
            let at = failure.iteration.map { ", repeat iteration \($0)" } ?? ""
            lines.append("  line \(failure.line)\(at): expected \(failure.expected), found \(failure.actual)")
        }
        if run.unexpectedFaults.isEmpty {
            lines.append("unexpected faults  none")
        } else {
            lines.append("unexpected faults  \(run.unexpectedFaults.count) (no `expect fault=` right after them)")
            for fault in run.unexpectedFaults {
                let at = fault.iteration.map { ", repeat iteration \($0)" } ?? ""
                lines.append("  line \(fault.line)\(at), step \(fault.step): \(fault.operation) -> \(fault.fault) \(fault.rule)")
            }
        }
        lines.append("operations  \(run.operations), highest CSSA \(run.maxCSSA), final CSSA \(run.finalCSSA) (\(run.finalMode), \(run.finalState))")
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }
}
