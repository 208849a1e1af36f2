/// A shortest sequence of operations that breaks an invariant.
public struct Counterexample: Hashable, Sendable {
    public var invariant: Invariant
    public var operations: [SGXOperation]
}

/// Which fault rules count as "the SSA stack is exhausted".
public enum SSAExhaustion: String, CaseIterable, Sendable, Codable {
    /// EENTER with CSSA = NSSA: handlers re-entered through EENTER without ERESUME.
    case eenter
    /// A notifying ERESUME with CSSA = NSSA: notifications handled without EDECCSSA.
    case notifyingEResume

    public var rule: SGXFaultRule {
        switch self {
        case .eenter: .eenterNoFreeFrame
        case .notifyingEResume: .eresumeNotifyNoFreeFrame
        }
    }
}

/// What one exploration found.
public struct ExplorationResult: Sendable {
    public var configuration: EnclaveConfiguration
    public var depth: Int
    /// Distinct states reached (including the initial one).
    public var states: Int
    /// Operations applied (every operation from every state of every level below `depth`).
    public var transitions: Int
    /// How many transitions faulted.
    public var faults: Int
    /// The shortest counterexample for each broken invariant.
    public var counterexamples: [Counterexample]
    /// The shortest sequence that ends in each kind of SSA-exhaustion #GP, when one exists within `depth`.
    public var exhaustion: [SSAExhaustion: [SGXOperation]]
}

/// Breadth-first search over operation sequences from a configuration's initial state, deduplicating
/// equal states, checking every invariant after every step.
public struct SGXExplorer: Sendable {
    public var depth: Int
    public var operations: [SGXOperation]
    /// When false, EENTER is explored only at CSSA 0: no exception handler entered on top of a saved frame,
    /// so the sequences found are those of AEX-Notify handlers alone.
    public var allowsNestedEENTER: Bool

    public init(depth: Int, operations: [SGXOperation], allowsNestedEENTER: Bool = true) {
        self.depth = depth
        self.operations = operations
        self.allowsNestedEENTER = allowsNestedEENTER
    }

    /// Every ENCLU leaf, an interrupt and a page-fault AEX, and both values of every frame's AEXNOTIFY byte.
    public static func alphabet(nssa: UInt32) -> [SGXOperation] {
        var result: [SGXOperation] = [.eenter, .eexit, .eresume, .edeccssa, .aex(.interrupt), .aex(.exception(vector: 14))]
        for frame in 0..<nssa {
            result.append(.writeAEXNotify(frame: frame, value: 0))
            result.append(.writeAEXNotify(frame: frame, value: 1))
        }
        return result
    }

    public init(depth: Int, nssa: UInt32, allowsNestedEENTER: Bool = true) {
        self.init(depth: depth, operations: Self.alphabet(nssa: nssa), allowsNestedEENTER: allowsNestedEENTER)
    }

    public func explore(_ configuration: EnclaveConfiguration) -> ExplorationResult {
        let initial = EnclaveThreadState(configuration: configuration)
        var states: [EnclaveThreadState] = [initial]
        var parent: [Int32] = [-1]
        var via: [UInt16] = [0]
        var index: [EnclaveThreadState: Int32] = [initial: 0]
        var frontier: [Int32] = [0]
        var transitions = 0
        var faults = 0
        var counterexamples: [Invariant: [SGXOperation]] = [:]
        var exhaustion: [SSAExhaustion: [SGXOperation]] = [:]

        func path(to state: Int32) -> [SGXOperation] {
            var result: [SGXOperation] = []
            var current = state
            while current > 0 {
                result.append(operations[Int(via[Int(current)])])
                current = parent[Int(current)]
            }
            return result.reversed()
        }

        var level = 0
        while level < depth, !frontier.isEmpty {
            var next: [Int32] = []
            for source in frontier {
                let before = states[Int(source)]
                for (k, operation) in operations.enumerated() {
                    if !allowsNestedEENTER, operation == .eenter, before.cssa != 0 { continue }
                    transitions += 1
                    var after = before
                    var effect: SGXEffect?
                    do {
                        effect = try after.perform(operation)
                    } catch {
                        faults += 1
                        for kind in SSAExhaustion.allCases where kind.rule == error.rule && exhaustion[kind] == nil {
                            exhaustion[kind] = path(to: source) + [operation]
                        }
                    }
                    for broken in Invariant.violations(before: before, after: after, operation: operation, effect: effect)
                    where counterexamples[broken] == nil {
                        counterexamples[broken] = path(to: source) + [operation]
                    }
                    guard effect != nil, index[after] == nil else { continue }
                    let id = Int32(states.count)
                    index[after] = id
                    states.append(after)
                    parent.append(source)
                    via.append(UInt16(k))
                    next.append(id)
                }
            }
            frontier = next
            level += 1
        }
        let found = Invariant.allCases.compactMap { invariant in
            counterexamples[invariant].map { Counterexample(invariant: invariant, operations: $0) }
        }
        return ExplorationResult(configuration: configuration, depth: depth, states: states.count,
                                 transitions: transitions, faults: faults, counterexamples: found,
                                 exhaustion: exhaustion)
    }

    /// The configurations `--all-configs` covers for one NSSA: every combination of EDECCSSA on the CPU,
    /// the AEXNOTIFY attribute, TCS.FLAGS.AEXNOTIFY and DBGOPTIN.
    public static func allConfigurations(nssa: UInt32) -> [EnclaveConfiguration] {
        var result: [EnclaveConfiguration] = []
        for edeccssa in [true, false] {
            for attribute in [true, false] {
                for tcsFlag in [true, false] {
                    for optIn in [false, true] {
                        var configuration = EnclaveConfiguration()
                        configuration.nssa = nssa
                        configuration.cpuEDECCSSA = edeccssa
                        configuration.attributeAEXNotify = attribute
                        configuration.tcsAEXNotify = tcsFlag
                        configuration.tcsDebugOptIn = optIn
                        result.append(configuration)
                    }
                }
            }
        }
        return result
    }
}
