/// Runs a scenario on the model.
///
/// Rules the format leaves open, decided here (docs/sgx.md repeats them):
/// - `expect fault=` is about the last operation executed before it (a `set` counts; an `expect` does not).
/// - A faulting operation changes nothing, and the scenario goes on with the next step.
/// - A fault inside `repeat` stops that repeat and every enclosing one; the next line then sees that fault
///   as "the step just before". The trace shows the iteration at which it stopped.
/// - A fault that the very next step does not acknowledge with `expect fault=` is reported as unexpected;
///   it fails the run only in strict mode, since the exit status is about the expectations.
/// - An `expect` inside a repeat is checked on every iteration; the first failure per line is recorded.
public struct ScenarioRunner: Sendable {
    /// Record every operation, including each iteration of every repeat (`--trace`).
    public var traceEveryStep: Bool

    public init(traceEveryStep: Bool = false) { self.traceEveryStep = traceEveryStep }

    public func run(_ scenario: SGXScenario) -> ScenarioRun {
        var execution = Execution(state: EnclaveThreadState(configuration: scenario.configuration),
                                  traceEveryStep: traceEveryStep)
        for step in scenario.steps { _ = execution.execute(step, iteration: []) }
        execution.settlePendingFault()
        let state = execution.state
        return ScenarioRun(
            scenario: scenario.name, configuration: scenario.configuration.summary, trace: execution.trace,
            expectations: execution.expectations, unexpectedFaults: execution.unexpected,
            operations: execution.operations, maxCSSA: execution.maxCSSA, finalCSSA: state.cssa,
            finalMode: Execution.mode(state), finalState: state.tcs.state.rawValue.lowercased())
    }
}

private struct Execution {
    var state: EnclaveThreadState
    let traceEveryStep: Bool
    var operations = 0
    var maxCSSA: UInt32 = 0
    var lastFault: SGXFault?
    var pendingFault: UnexpectedFault?
    var trace: [TraceRecord] = []
    var expectations: [ExpectationResult] = []
    var unexpected: [UnexpectedFault] = []
    var failedInRepeat: Set<Int> = []

    init(state: EnclaveThreadState, traceEveryStep: Bool) {
        self.state = state
        self.traceEveryStep = traceEveryStep
        maxCSSA = state.cssa
    }

    static func mode(_ state: EnclaveThreadState) -> String { state.isInEnclaveMode ? "enclave" : "outside" }

    static func label(_ iteration: [Int]) -> String? {
        iteration.isEmpty ? nil : iteration.map(String.init).joined(separator: ".")
    }

    func record(_ kind: TraceRecord.Kind, step: Int?, line: Int, iteration: [Int], text: String,
                fault: SGXFault?, result: String) -> TraceRecord {
        TraceRecord(kind: kind, step: step, line: line, iteration: Self.label(iteration), text: text,
                    fault: fault?.kind.description, rule: fault?.rule.statement, result: result,
                    cssa: state.cssa, nssa: state.nssa, mode: Self.mode(state),
                    state: state.tcs.state.rawValue.lowercased(), rax: state.processor.rax,
                    aexNotify: state.frames.map(\.gprsgx.aexNotify))
    }

    mutating func settlePendingFault() {
        if let pending = pendingFault { unexpected.append(pending) }
        pendingFault = nil
    }

    /// Executes one step; returns the fault that must stop the enclosing repeats, if any.
    mutating func execute(_ step: ScenarioStep, iteration: [Int]) -> SGXFault? {
        switch step.kind {
        case let .operation(operation):
            settlePendingFault()
            operations += 1
            var next = state
            var fault: SGXFault?
            var result = ""
            do {
                let effect = try next.perform(operation)
                state = next
                result = effect.description
            } catch {
                fault = error
                result = error.rule.statement
            }
            maxCSSA = max(maxCSSA, state.cssa)
            lastFault = fault
            if traceEveryStep || iteration.isEmpty || fault != nil {
                trace.append(record(.operation, step: operations, line: step.line, iteration: iteration,
                                    text: operation.description, fault: fault, result: result))
            }
            if let fault {
                pendingFault = UnexpectedFault(line: step.line, step: operations, iteration: Self.label(iteration),
                                               operation: operation.description, fault: fault.kind.description,
                                               rule: fault.rule.statement)
                return iteration.isEmpty ? nil : fault
            }
            return nil

        case let .repeatBlock(count, body):
            let before = operations
            var lowest = state.cssa
            var highest = state.cssa
            var completed = 0
            var stop: SGXFault?
            iterations: for index in 0..<count {
                for inner in body {
                    let fault = execute(inner, iteration: iteration + [index + 1])
                    lowest = min(lowest, state.cssa)
                    highest = max(highest, state.cssa)
                    if let fault {
                        stop = fault
                        break iterations
                    }
                }
                completed += 1
            }
            var summary = "\(completed) of \(count) iterations, \(operations - before) operations, CSSA \(lowest)...\(highest)"
            if let stop { summary += "; stopped by \(stop.kind) in iteration \(completed + 1)" }
            if traceEveryStep || iteration.isEmpty {
                trace.append(record(.repeatBlock, step: nil, line: step.line, iteration: iteration, text: step.text,
                                    fault: nil, result: summary))
            }
            return iteration.isEmpty ? nil : stop

        case let .expect(list):
            var failures: [String] = []
            for expectation in list {
                let (holds, actual) = check(expectation)
                if expectation.isAboutFault { pendingFault = nil }
                let result = ExpectationResult(line: step.line, iteration: Self.label(iteration),
                                               expected: expectation.description, actual: actual, holds: holds)
                if iteration.isEmpty {
                    expectations.append(result)
                } else if !holds, !failedInRepeat.contains(step.line) {
                    failedInRepeat.insert(step.line)
                    expectations.append(result)
                }
                if !holds { failures.append("expected \(expectation.description), found \(actual)") }
            }
            if traceEveryStep || iteration.isEmpty || !failures.isEmpty {
                let verdict = failures.isEmpty ? "holds" : "FAILED: " + failures.joined(separator: "; ")
                trace.append(record(.expect, step: nil, line: step.line, iteration: iteration, text: step.text,
                                    fault: nil, result: verdict))
            }
            return nil
        }
    }

    /// Whether the expectation holds, and what the model actually shows.
    func check(_ expectation: Expectation) -> (Bool, String) {
        let processor = state.processor
        switch expectation {
        case let .fault(expected):
            let actual = lastFault?.kind
            return (expected == actual, "fault=\(actual.map(\.description) ?? "none")")
        case let .cssa(value): return (state.cssa == value, "cssa=\(state.cssa)")
        case let .nssa(value): return (state.nssa == value, "nssa=\(state.nssa)")
        case let .enclaveMode(inside): return (state.isInEnclaveMode == inside, "mode=\(Self.mode(state))")
        case let .state(value): return (state.tcs.state == value, "state=\(state.tcs.state.rawValue.lowercased())")
        case let .rax(value): return (processor.rax == value, "rax=\(processor.rax)")
        case let .rbx(value): return (processor.rbx == value, "rbx=0x\(String(processor.rbx, radix: 16))")
        case let .rcx(value): return (processor.rcx == value, "rcx=0x\(String(processor.rcx, radix: 16))")
        case let .rip(value): return (processor.rip == value, "rip=0x\(String(processor.rip, radix: 16))")
        case let .maxCSSA(value): return (maxCSSA == value, "maxcssa=\(maxCSSA)")
        case let .aexNotify(frame, value):
            let actual = state.frame(frame)?.gprsgx.aexNotify ?? 0
            return (actual == value, "ssa[\(frame)].aexnotify=\(actual)")
        }
    }
}
