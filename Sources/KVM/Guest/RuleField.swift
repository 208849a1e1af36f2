import CPUID

/// A CPUID field as a rule row names it: a short label for messages and the coordinates that are the fact.
///
/// Labels are the SDM's mnemonics; the checker never looks them up, so rules stay independent of any catalogue.
public struct RuleField: Hashable, Sendable, CustomStringConvertible {
    public var label: String
    public var field: CPUIDField

    public init(_ label: String, _ field: CPUIDField) {
        self.label = label
        self.field = field
    }

    /// `SGX1 CPUID.(EAX=12H,ECX=0):EAX[0]`
    public var description: String { "\(label) \(field)" }
}
