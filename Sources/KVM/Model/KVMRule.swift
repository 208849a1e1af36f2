/// The rule that decided some bits of the predicted table: a capability bit (with its full trace),
/// a statement of `__do_cpuid_func()`, or a part the model does not reproduce (saying why).
public struct KVMRule: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The bit is a copy of KVM's capability word (`cpuid_entry_override()`).
        case capability
        /// A statement of the leaf's code in `__do_cpuid_func()`.
        case leaf
        /// Values KVM takes from state a CPUID dump does not hold; the model shows its best reading.
        case notModelled = "not-modelled"
    }

    public var kind: Kind
    /// The kernel function and case, e.g. `__do_cpuid_func case 0x12`.
    public var source: String
    /// What the rule does, e.g. `EBX &= SGX_MISC_EXINFO (bit 0)`.
    public var summary: String
    /// The capability bit's trace, for `.capability` rules.
    public var capability: KVMCapabilityTrace?

    public init(kind: Kind, source: String, summary: String, capability: KVMCapabilityTrace? = nil) {
        self.kind = kind
        self.source = source
        self.summary = summary
        self.capability = capability
    }

    public static func leaf(_ function: UInt32, _ summary: String) -> Self {
        Self(kind: .leaf, source: "__do_cpuid_func case \(hex(function))", summary: summary)
    }

    public static func notModelled(_ function: UInt32, _ summary: String) -> Self {
        Self(kind: .notModelled, source: "__do_cpuid_func case \(hex(function))", summary: summary)
    }

    public static func capability(_ trace: KVMCapabilityTrace) -> Self {
        Self(kind: .capability, source: "kvm_cpu_caps[\(trace.word.name)]",
             summary: trace.description, capability: trace)
    }

    public var description: String { "\(source): \(summary)" }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}

/// A rule and the bits of one register it decided.
public struct KVMFieldRule: Hashable, Sendable {
    public var mask: UInt32
    public var rule: KVMRule

    public init(mask: UInt32, rule: KVMRule) {
        self.mask = mask
        self.rule = rule
    }
}
