/// One CPUID answer: its inputs, its four registers, and whether the subleaf input matters.
///
/// `significantIndex` mirrors KVM's KVM_CPUID_FLAG_SIGNIFCANT_INDEX: when false, the leaf
/// answers the same for every ECX, and the entry is stored under subleaf 0.
public struct CPUIDEntry: Hashable, Sendable {
    public var key: LeafKey
    public var registers: Registers
    public var significantIndex: Bool

    public init(key: LeafKey, registers: Registers, significantIndex: Bool) {
        self.key = key
        self.registers = registers
        self.significantIndex = significantIndex
    }

    public init(leaf: UInt32, subleaf: UInt32 = 0, eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32,
                significantIndex: Bool? = nil) {
        self.key = LeafKey(leaf, subleaf)
        self.registers = Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx)
        self.significantIndex = significantIndex ?? SubleafRules.hasSubleaves(leaf)
    }

    public var leaf: UInt32 { key.leaf }
    public var subleaf: UInt32 { key.subleaf }
}
