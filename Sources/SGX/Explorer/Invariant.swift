/// The properties the explorer checks after every step of every explored sequence.
public enum Invariant: String, CaseIterable, Sendable, Codable {
    case cssaWithinBounds
    case faultChangesNothing
    case notifyingEResumeKeepsCSSA
    case plainEResumePopsOneFrame
    case edeccssaOnlyInsideAboveZero
    case modeMatchesTCSState
    case enclaveModeHasFreeFrame

    public var statement: String {
        switch self {
        case .cssaWithinBounds: "0 <= CSSA <= NSSA"
        case .faultChangesNothing: "a faulting step changes nothing"
        case .notifyingEResumeKeepsCSSA: "a notifying ERESUME never lowers CSSA"
        case .plainEResumePopsOneFrame: "a plain ERESUME lowers CSSA by exactly one"
        case .edeccssaOnlyInsideAboveZero: "EDECCSSA never succeeds outside the enclave or at CSSA 0"
        case .modeMatchesTCSState: "enclave mode and TCS.STATE = ACTIVE agree"
        case .enclaveModeHasFreeFrame: "inside the enclave CSSA < NSSA, so an AEX always has a frame"
        }
    }

    /// The invariants a step from `before` to `after` breaks, given what it did (nil when it faulted).
    static func violations(before: EnclaveThreadState, after: EnclaveThreadState, operation: SGXOperation,
                           effect: SGXEffect?) -> [Invariant] {
        var broken: [Invariant] = []
        guard let effect else {
            if after != before { broken.append(.faultChangesNothing) }
            return broken
        }
        if after.cssa > after.nssa { broken.append(.cssaWithinBounds) }
        if after.isInEnclaveMode != (after.tcs.state == .active) { broken.append(.modeMatchesTCSState) }
        if after.isInEnclaveMode && after.cssa >= after.nssa { broken.append(.enclaveModeHasFreeFrame) }
        switch effect {
        case .notified:
            if after.cssa < before.cssa { broken.append(.notifyingEResumeKeepsCSSA) }
        case .resumed:
            if after.cssa + 1 != before.cssa { broken.append(.plainEResumePopsOneFrame) }
        case .decremented:
            if !before.isInEnclaveMode || before.cssa == 0 { broken.append(.edeccssaOnlyInsideAboveZero) }
        default:
            break
        }
        return broken
    }
}
