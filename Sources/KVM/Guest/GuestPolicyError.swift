import CPUID
import X86Features

/// Why a guest policy was refused: every problem found, each naming the edit, the feature and the rule.
public struct GuestPolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One link of a dependency chain: a feature (or bit) and why the previous link needs it.
    public struct ChainLink: Hashable, Sendable {
        public var label: String
        public var field: CPUIDField
        /// Empty for the first link; otherwise the rows that make the previous link need this one.
        public var because: [String]
        /// Why this link is off, when it is.
        public var offBecause: String?
    }

    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// No feature has this name.
        case unknownFeature(name: String, edit: String, suggestions: [String])
        /// The feature exists but no CPUID bit carries it, so a guest table cannot turn it on or off.
        case notACPUIDBit(feature: String, edit: String)
        /// The base does not offer the feature and `allowUnsupported` is off.
        case unsupported(feature: GuestFeature, base: String, reason: String, edit: String)
        /// A feature-MSR value has a bit the base does not offer (KVM's feature-MSR value lacks it).
        case unsupportedMSRBit(bit: String, msr: UInt32, base: String, reason: String, edit: String)
        /// The base lists no such feature MSR, so KVM would not take a value for it.
        case msrNotOffered(msr: UInt32, base: String, edit: String)
        /// A feature was enabled but something it depends on is off; the chain leads to the cause.
        case dependencyOff(feature: GuestFeature, chain: [ChainLink], edit: String)
        /// The edits left the table breaking a structural rule that the base kept.
        case inconsistent(RuleViolation)
        /// The edits left a feature set whose Linux dependency is clear, which the base did not have.
        case dependencyBroken(DependencyViolation)

        public var description: String {
            switch self {
            case let .unknownFeature(name, edit, suggestions):
                let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.joined(separator: ", "))?)"
                return "\(edit): no feature is called \"\(name)\"\(hint)"
            case let .notACPUIDBit(feature, edit):
                return "\(edit): \(feature) is a Linux-defined feature with no CPUID bit; a guest table cannot carry it"
            case let .unsupported(feature, base, reason, edit):
                return "\(edit): \(feature) is not offered by the base \(base): \(reason); "
                    + "pass --allow-unsupported to give it to the guest anyway"
            case let .unsupportedMSRBit(bit, _, _, reason, edit):
                return "\(edit): \(bit) is not offered: \(reason); "
                    + "pass --allow-unsupported to give it to the guest anyway"
            case let .msrNotOffered(msr, base, edit):
                return "\(edit): \(FeatureMSRNames.name(of: msr)) (0x\(String(msr, radix: 16))) is not a feature MSR of the base \(base); "
                    + "KVM would not take a value for it"
            case let .dependencyOff(feature, chain, edit):
                let path = chain.map(\.label).joined(separator: " → ")
                let cause = chain.last.map { "\($0.label) is off" } ?? "a dependency is off"
                var text = "\(edit): cannot enable \(feature.macro): \(cause); dependency chain \(path)"
                for (previous, link) in zip(chain, chain.dropFirst()) {
                    text += "\n    \(previous.label) needs \(link.label) \(link.field)"
                    if !link.because.isEmpty { text += " [\(link.because.joined(separator: "; "))]" }
                    if let off = link.offBecause { text += ": \(link.label) is off (\(off))" }
                }
                return text
            case let .inconsistent(violation):
                return "the edits break \(violation)"
            case let .dependencyBroken(violation):
                return "the edits break \(violation): a Linux guest would clear \(violation.feature.macro) at boot"
            }
        }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
