/// One row of a scenario trace: an operation, a repeat block's summary, or a checked expectation.
public struct TraceRecord: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable { case operation, repeatBlock = "repeat", expect }

    public var kind: Kind
    /// Ordinal of the operation among all executed operations (operations only).
    public var step: Int?
    public var line: Int
    /// `3` for the third iteration of a repeat, `3.2` inside nested repeats.
    public var iteration: String?
    public var text: String
    /// `#GP(0)`, `#UD` or `#PF` when the operation faulted.
    public var fault: String?
    /// The rule that raised the fault.
    public var rule: String?
    /// What the operation did, the repeat's summary, or the expectation's verdict.
    public var result: String
    public var cssa: UInt32
    public var nssa: UInt32
    public var mode: String
    public var state: String
    public var rax: UInt64
    /// Each SSA frame's AEXNOTIFY byte after the step (bit 0 set: armed), for pictures of the stack; not part
    /// of the JSON, whose shape `sgx simulate --json` fixes.
    public var aexNotify: [UInt8] = []

    enum CodingKeys: String, CodingKey {
        case kind, step, line, iteration, text, fault, rule, result, cssa, nssa, mode, state, rax
    }
}

/// The verdict on one `expect` pair.
public struct ExpectationResult: Hashable, Sendable, Codable {
    public var line: Int
    public var iteration: String?
    public var expected: String
    public var actual: String
    public var holds: Bool
}

/// A fault that no `expect fault=` line acknowledged right after it.
public struct UnexpectedFault: Hashable, Sendable, Codable {
    public var line: Int
    public var step: Int
    public var iteration: String?
    public var operation: String
    public var fault: String
    public var rule: String
}

/// The outcome of running a scenario: the trace, every expectation's verdict, and the final state.
public struct ScenarioRun: Hashable, Sendable, Codable {
    public var scenario: String
    public var configuration: String
    public var trace: [TraceRecord]
    public var expectations: [ExpectationResult]
    public var unexpectedFaults: [UnexpectedFault]
    public var operations: Int
    public var maxCSSA: UInt32
    public var finalCSSA: UInt32
    public var finalMode: String
    public var finalState: String

    /// True when every expectation holds: what `vcpuid sgx simulate` exits 0 on.
    public var passed: Bool { expectations.allSatisfy(\.holds) }

    /// Stricter: also no fault went unacknowledged.
    public var passedStrictly: Bool { passed && unexpectedFaults.isEmpty }

    public var failedExpectations: [ExpectationResult] { expectations.filter { !$0.holds } }
}
