import CPUID
import X86Features

/// A CPUID field as a rule row names it: a short label for messages and the coordinates that are the fact.
///
/// Labels are the SDM's mnemonics (or Linux's macros); the checker never looks them up. Where Linux names the
/// feature, the coordinates are read from its tables (`init(linux:)`), so no bit is restated by hand.
public struct RuleField: Hashable, Sendable, CustomStringConvertible {
    public var label: String
    public var field: CPUIDField

    /// A field Linux has no macro for; its row names the SDM place.
    public init(_ label: String, _ field: CPUIDField) {
        self.label = label
        self.field = field
    }

    /// A Linux feature: the coordinates come from the kernel tables, the label is the macro (or the SDM's name).
    public init(_ label: String? = nil, linux macro: String) {
        self.init(label ?? macro, LinuxFeatureField.field(macro))
    }

    /// `SGX1 CPUID.(EAX=12H,ECX=0):EAX[0]`
    public var description: String { "\(label) \(field)" }
}
