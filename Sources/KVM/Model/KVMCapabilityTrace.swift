/// Why one bit of KVM's capability array ended up set or clear: each step the kernel took, in order.
public struct KVMCapabilityTrace: Hashable, Sendable, CustomStringConvertible {
    public var word: KVMCapabilityWord
    public var bit: Int
    /// The feature's macro when KVM's tables name the bit.
    public var macro: String?
    public var offered: Bool
    /// The kernel's steps in its own order, e.g. "KVM's CPUID_12_EAX mask has SCATTERED_F(SGX_EDECCSSA)".
    public var steps: [String]
    /// How the bit entered the word's mask (nil: the mask lacks it).
    public var kind: KVMCapabilityKind?
    /// Whether the mask step let the bit through (for SCATTERED_F: whether the host kernel has it).
    public var maskHas: Bool = false
    /// The host kernel's word bit, for kernel words whose formula reads it.
    public var kernelHas: Bool?
    /// The raw host register bit, when the formula reached it.
    public var rawHas: Bool?
    /// The fix-up that decided the bit last (kvm_cpu_cap_set/clear), if any: "source: why".
    public var adjustedBy: String?

    public init(word: KVMCapabilityWord, bit: Int, macro: String?, offered: Bool, steps: [String],
                kind: KVMCapabilityKind? = nil) {
        self.word = word
        self.bit = bit
        self.macro = macro
        self.offered = offered
        self.steps = steps
        self.kind = kind
    }

    public var name: String { macro ?? "\(word.name) bit \(bit)" }

    public var description: String {
        "\(name): \(offered ? "offered" : "not offered") — " + steps.joined(separator: "; ")
    }
}
