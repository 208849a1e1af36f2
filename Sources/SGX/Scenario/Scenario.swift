/// A checked expectation about the state after the last operation (or that operation's fault).
public enum Expectation: Hashable, Sendable, CustomStringConvertible {
    /// `fault=none|#GP|#UD|#PF`: about the step just before.
    case fault(ArchitecturalFault?)
    case cssa(UInt32)
    case nssa(UInt32)
    /// `mode=enclave|outside`.
    case enclaveMode(Bool)
    case state(TCSState)
    case rax(UInt64)
    case rbx(UInt64)
    case rcx(UInt64)
    case rip(UInt64)
    /// `maxcssa=N`: the highest CSSA reached since the scenario started.
    case maxCSSA(UInt32)
    /// `ssa[i].aexnotify=v`.
    case aexNotify(frame: UInt32, value: UInt8)

    public var description: String {
        switch self {
        case let .fault(fault): "fault=\(fault.map(\.description) ?? "none")"
        case let .cssa(value): "cssa=\(value)"
        case let .nssa(value): "nssa=\(value)"
        case let .enclaveMode(inside): "mode=\(inside ? "enclave" : "outside")"
        case let .state(state): "state=\(state.rawValue.lowercased())"
        case let .rax(value): "rax=\(value)"
        case let .rbx(value): "rbx=0x\(String(value, radix: 16))"
        case let .rcx(value): "rcx=0x\(String(value, radix: 16))"
        case let .rip(value): "rip=0x\(String(value, radix: 16))"
        case let .maxCSSA(value): "maxcssa=\(value)"
        case let .aexNotify(frame, value): "ssa[\(frame)].aexnotify=\(value)"
        }
    }

    public var isAboutFault: Bool {
        if case .fault = self { return true }
        return false
    }
}

/// One line's worth of scenario: an operation, a repeated block, or a list of expectations.
public struct ScenarioStep: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case operation(SGXOperation)
        indirect case repeatBlock(count: Int, body: [ScenarioStep])
        case expect([Expectation])
    }

    public var kind: Kind
    /// 1-based line of the scenario file the step comes from.
    public var line: Int
    /// The step as written (without comment), for traces.
    public var text: String

    public init(kind: Kind, line: Int, text: String) {
        self.kind = kind
        self.line = line
        self.text = text
    }
}

/// A parsed scenario: the configuration of the enclave thread and the steps to run on it.
public struct SGXScenario: Hashable, Sendable {
    public var name: String
    public var configuration: EnclaveConfiguration
    public var steps: [ScenarioStep]

    public init(name: String, configuration: EnclaveConfiguration, steps: [ScenarioStep]) {
        self.name = name
        self.configuration = configuration
        self.steps = steps
    }
}
