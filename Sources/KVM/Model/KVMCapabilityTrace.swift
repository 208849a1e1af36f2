/// Why one bit of KVM's capability array ended up set or clear: each step the kernel took, in order.
public struct KVMCapabilityTrace: Hashable, Sendable, CustomStringConvertible {
    public var word: KVMCapabilityWord
    public var bit: Int
    /// The feature's macro when KVM's tables name the bit.
    public var macro: String?
    public var offered: Bool
    /// The kernel's steps in its own order, e.g. "KVM's CPUID_12_EAX mask has SCATTERED_F(SGX_EDECCSSA)".
    public var steps: [String]

    public init(word: KVMCapabilityWord, bit: Int, macro: String?, offered: Bool, steps: [String]) {
        self.word = word
        self.bit = bit
        self.macro = macro
        self.offered = offered
        self.steps = steps
    }

    public var name: String { macro ?? "\(word.name) bit \(bit)" }

    public var description: String {
        "\(name): \(offered ? "offered" : "not offered") — " + steps.joined(separator: "; ")
    }
}
