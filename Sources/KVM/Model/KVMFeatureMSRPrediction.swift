import CPUID
import X86Features

/// The model's answer for one feature MSR of KVM_GET_MSR_FEATURE_INDEX_LIST / KVM_GET_MSRS on /dev/kvm:
/// whether KVM lists it, its value where the inputs decide it, and the rule behind every bit.
public struct KVMFeatureMSRPrediction: Hashable, Sendable {
    /// One bit (or the whole value) and why it has its value; `value` nil when the model cannot decide it.
    public struct Bit: Hashable, Sendable {
        public var number: Int
        /// The catalogue's name, e.g. `ARCH_CAPABILITIES.MDS_NO`; nil for a bit no one names.
        public var label: String?
        public var value: Bool?
        public var rule: String
    }

    public var index: UInt32
    /// Linux's name of the MSR.
    public var name: String
    /// Why KVM lists the MSR.
    public var listedBecause: String
    /// The bits whose value the model decides (all 64 unless some depend on something not known).
    public var decidedMask: UInt64
    /// The value of the decided bits.
    public var value: UInt64
    /// The per-bit account for bitwise MSRs (ARCH_CAPABILITIES); empty where `valueRule` says it all.
    public var bits: [Bit]
    /// The rule for the value as a whole (UCODE_REV, PLATFORM_INFO, PERF_CAPABILITIES, DE_CFG, VMX).
    public var valueRule: String

    /// Whether every bit is decided.
    public var isDecided: Bool { decidedMask == .max }

    /// The account of one bit: the per-bit row when there is one, else the value rule.
    public func account(ofBit number: Int) -> Bit {
        if let bit = bits.first(where: { $0.number == number }) { return bit }
        let mask = UInt64(1) << UInt64(number)
        let label = FeatureMSRBits.bit(index, covering: number)?.label
        return Bit(number: number, label: label, value: decidedMask & mask != 0 ? value & mask != 0 : nil, rule: valueRule)
    }

    /// `0x000000000c000069`, with `?` digits standing for undecided nibbles.
    public var valueText: String {
        var digits = ""
        for nibble in stride(from: 15, through: 0, by: -1) {
            let shift = UInt64(nibble * 4)
            let decided = (decidedMask >> shift) & 0xF
            digits += decided == 0xF ? String((value >> shift) & 0xF, radix: 16) : "?"
        }
        return "0x" + digits
    }
}
