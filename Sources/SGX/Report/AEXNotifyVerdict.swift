/// One condition of a verdict: what is required, whether it holds, and the evidence.
public struct VerdictReason: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case holds
        case fails
        /// The view cannot tell (e.g. a dump does not say which kernel runs it).
        case unknown
    }

    public var status: Status
    public var requirement: String
    public var evidence: String

    public init(_ status: Status, _ requirement: String, _ evidence: String) {
        self.status = status
        self.requirement = requirement
        self.evidence = evidence
    }
}

/// "AEX-Notify usable: yes/no", with every condition that decided it.
public struct AEXNotifyVerdict: Hashable, Sendable, Codable {
    /// True when no condition fails (conditions the view cannot check are listed as unknown).
    public var usable: Bool
    public var reasons: [VerdictReason]

    public init(reasons: [VerdictReason]) {
        self.reasons = reasons
        usable = !reasons.contains { $0.status == .fails }
    }

    public var failing: [VerdictReason] { reasons.filter { $0.status == .fails } }
    public var unknown: [VerdictReason] { reasons.filter { $0.status == .unknown } }
}
