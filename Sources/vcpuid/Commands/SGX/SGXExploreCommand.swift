import ArgumentParser
import Dispatch
import SGX

/// `vcpuid sgx explore`: breadth-first search over operation sequences, checking the model's invariants.
struct SGXExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Check the thread model's invariants over every operation sequence up to a depth.",
        discussion: """
            Visits every sequence of EENTER, EEXIT, ERESUME, EDECCSSA, AEX (interrupt, #PF) and writes of each \
            frame's AEXNOTIFY byte up to --depth, deduplicating equal states, and checks after every step: \
            0 <= CSSA <= NSSA; a faulting step changes nothing; a notifying ERESUME never lowers CSSA and a plain \
            one lowers it by one; EDECCSSA never runs outside the enclave or at CSSA 0; enclave mode and TCS.STATE \
            agree. For each configuration it also prints the shortest sequence that exhausts the SSA stack (#GP). \
            Exits 1 when an invariant is violated.

            Examples:
              vcpuid sgx explore --depth 12 --all-configs
              vcpuid sgx explore --depth 8 --nssa 1 --json
            """
    )

    @Option(parsing: .unconditional, help: "Longest operation sequence to explore.")
    var depth = 12

    @Option(help: "TCS.NSSA, 1 to 4 (default 2; with --all-configs, every value 1...4 unless given).")
    var nssa: UInt32?

    @Flag(help: "Explore every combination of cpu.edeccssa, attr.aexnotify, tcs.aexnotify and tcs.dbgoptin.")
    var allConfigs = false

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        if let nssa, !(1...4).contains(nssa) { throw ValidationError("--nssa must be 1, 2, 3 or 4 (found \(nssa))") }
        if !(0...64).contains(depth) { throw ValidationError("--depth must be 0...64 (found \(depth))") }
    }

    struct ConfigurationOutput: Encodable {
        var configuration: String
        var states: Int
        var transitions: Int
        var faults: Int
        var seconds: Double
        var violations: [ViolationOutput]
        var shortestEENTERExhaustion: [String]?
        var shortestNotifyingEResumeExhaustion: [String]?
        /// The same, when handlers never re-enter with EENTER on top of a saved frame (AEX-Notify handlers only).
        var shortestNotifyingEResumeExhaustionWithoutNestedEENTER: [String]?
    }

    struct ViolationOutput: Encodable {
        var invariant: String
        var counterexample: [String]
    }

    struct Output: Encodable {
        var depth: Int
        var configurations: [ConfigurationOutput]
        var states: Int
        var transitions: Int
        var seconds: Double
        var transitionsPerSecond: Double
        var violations: Int
    }

    func run() throws {
        let nssaValues: [UInt32] = nssa.map { [$0] } ?? (allConfigs ? [1, 2, 3, 4] : [2])
        var configurations: [EnclaveConfiguration] = []
        for n in nssaValues {
            if allConfigs {
                configurations += SGXExplorer.allConfigurations(nssa: n)
            } else {
                var configuration = EnclaveConfiguration()
                configuration.nssa = n
                configurations.append(configuration)
            }
        }
        var outputs: [ConfigurationOutput] = []
        var totalStates = 0
        var totalTransitions = 0
        var totalSeconds = 0.0
        var violations = 0
        for configuration in configurations {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = SGXExplorer(depth: depth, nssa: configuration.nssa).explore(configuration)
            let notifyOnly = SGXExplorer(depth: depth, nssa: configuration.nssa, allowsNestedEENTER: false)
                .explore(configuration)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            totalStates += result.states
            totalTransitions += result.transitions + notifyOnly.transitions
            totalSeconds += seconds
            let counterexamples = result.counterexamples + notifyOnly.counterexamples
            violations += counterexamples.count
            outputs.append(ConfigurationOutput(
                configuration: Self.describe(configuration), states: result.states, transitions: result.transitions,
                faults: result.faults, seconds: seconds,
                violations: counterexamples.map {
                    ViolationOutput(invariant: $0.invariant.statement, counterexample: $0.operations.map(\.description))
                },
                shortestEENTERExhaustion: result.exhaustion[.eenter]?.map(\.description),
                shortestNotifyingEResumeExhaustion: result.exhaustion[.notifyingEResume]?.map(\.description),
                shortestNotifyingEResumeExhaustionWithoutNestedEENTER: notifyOnly.exhaustion[.notifyingEResume]?.map(\.description)))
        }
        let rate = totalSeconds > 0 ? Double(totalTransitions) / totalSeconds : 0
        if json {
            print(try SGXTable.json(Output(depth: depth, configurations: outputs, states: totalStates,
                                           transitions: totalTransitions, seconds: totalSeconds,
                                           transitionsPerSecond: rate, violations: violations)))
        } else {
            print(render(outputs, states: totalStates, transitions: totalTransitions, seconds: totalSeconds,
                         rate: rate, violations: violations))
        }
        if violations > 0 { throw ExitCode(ExitStatus.negativeVerdict) }
    }

    static func describe(_ c: EnclaveConfiguration) -> String {
        "nssa=\(c.nssa) cpu.edeccssa=\(c.cpuEDECCSSA ? 1 : 0) attr.aexnotify=\(c.attributeAEXNotify ? 1 : 0) tcs.aexnotify=\(c.tcsAEXNotify ? 1 : 0) tcs.dbgoptin=\(c.tcsDebugOptIn ? 1 : 0)"
    }

    static func sequence(_ operations: [String]?) -> String {
        guard let operations else { return "none within depth" }
        return "\(operations.count): " + operations.joined(separator: ", ")
    }

    func render(_ outputs: [ConfigurationOutput], states: Int, transitions: Int, seconds: Double, rate: Double,
                violations: Int) -> String {
        var lines: [String] = []
        let rows = outputs.map { o in
            [o.configuration, String(o.states), String(o.transitions), o.violations.isEmpty ? "none" : String(o.violations.count)]
        }
        lines.append(SGXTable.render(["configuration", "states", "transitions", "violations"], rows))
        lines.append("")
        lines.append("Shortest sequences that exhaust the SSA stack (#GP), per configuration:")
        for o in outputs {
            lines.append("  \(o.configuration)")
            lines.append("    EENTER at CSSA = NSSA:             \(Self.sequence(o.shortestEENTERExhaustion))")
            lines.append("    notifying ERESUME at CSSA = NSSA:  \(Self.sequence(o.shortestNotifyingEResumeExhaustion))")
            lines.append("      without nested EENTER:           \(Self.sequence(o.shortestNotifyingEResumeExhaustionWithoutNestedEENTER))")
        }
        for o in outputs where !o.violations.isEmpty {
            lines.append("")
            lines.append("VIOLATIONS in \(o.configuration):")
            for v in o.violations {
                lines.append("  \(v.invariant): shortest counterexample (\(v.counterexample.count) steps): \(v.counterexample.joined(separator: ", "))")
            }
        }
        lines.append("")
        lines.append("depth \(depth): \(states) states, \(transitions) transitions (both searches) in \(fixedPoint(seconds, digits: 3)) s (\(Int(rate)) transitions/s)")
        lines.append(violations == 0 ? "invariants: all hold" : "invariants: \(violations) violated")
        return lines.joined(separator: "\n")
    }
}
