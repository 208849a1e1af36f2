import CPUID

/// What differs between two CPUID snapshots: named features both ways, then the register bits no named
/// feature explains, then MSRs, with the differences that break live migration called out.
public struct SnapshotDiff: Sendable, Encodable {
    /// One register whose bits differ beyond the named features.
    public struct RegisterDifference: Hashable, Sendable, Encodable {
        public var leaf: String
        public var subleaf: String
        public var register: String
        /// nil where that side has no such entry.
        public var first: String?
        public var second: String?
        /// The differing bits not covered by a named feature.
        public var bits: String
    }

    /// One MSR sampled differently (or on one side only).
    public struct MSRDifference: Hashable, Sendable, Encodable {
        public var index: String
        public var first: String?
        public var second: String?
    }

    /// A feature bit in the output, with both spellings.
    public struct Feature: Hashable, Sendable, Encodable {
        public var linux: String
        public var qemu: String?
        public var macro: String
        public var location: String

        init(_ bit: FeatureBit) {
            linux = bit.linuxName
            qemu = bit.qemuName
            macro = bit.macro
            location = bit.field.description
        }
    }

    public var onlyInFirst: [Feature]
    public var onlyInSecond: [Feature]
    public var registers: [RegisterDifference]
    public var msrs: [MSRDifference]
    public var hazards: [MigrationHazard]

    public var isEqual: Bool { onlyInFirst.isEmpty && onlyInSecond.isEmpty && registers.isEmpty && msrs.isEmpty }

    public init(_ a: Snapshot, _ b: Snapshot, bits: FeatureBits = .shared) {
        var first: [Feature] = []
        var second: [Feature] = []
        var explained: [LeafKey: [Register: UInt32]] = [:]
        for bit in bits.all {
            let inA = bit.isSet(in: a)
            let inB = bit.isSet(in: b)
            if inA != inB {
                (inA ? { first.append(Feature(bit)) } : { second.append(Feature(bit)) })()
            }
            explained[LeafKey(bit.field.leaf, bit.field.subleaf), default: [:]][bit.field.register, default: 0] |= bit.field.mask
        }
        onlyInFirst = first
        onlyInSecond = second

        var registers: [RegisterDifference] = []
        let keys = Set(a.keys).union(b.keys).sorted()
        for key in keys {
            let ra = a.entry(key.leaf, key.subleaf)?.registers
            let rb = b.entry(key.leaf, key.subleaf)?.registers
            for register in Register.allCases {
                let va = ra?[register] ?? 0
                let vb = rb?[register] ?? 0
                let ignored = PerCPUFields.mask(leaf: key.leaf, register: register) | (explained[key]?[register] ?? 0)
                let residual = (va ^ vb) & ~ignored
                // An entry present on one side only counts even when its registers are zero.
                guard residual != 0 || (ra == nil) != (rb == nil) && (va | vb) & ~ignored != 0 else { continue }
                registers.append(RegisterDifference(leaf: Hex.word(key.leaf), subleaf: Hex.byte(key.subleaf),
                                                    register: register.description,
                                                    first: ra.map { Hex.word($0[register]) },
                                                    second: rb.map { Hex.word($0[register]) },
                                                    bits: Hex.word(residual == 0 ? (va | vb) & ~ignored : residual)))
            }
        }
        self.registers = registers

        var msrs: [MSRDifference] = []
        let indexes = Set(a.msrs.map(\.index)).union(b.msrs.map(\.index)).sorted()
        for index in indexes where a.msr(index) != b.msr(index) {
            msrs.append(MSRDifference(index: Hex.word(index), first: a.msr(index)?.description,
                                      second: b.msr(index)?.description))
        }
        self.msrs = msrs
        hazards = MigrationHazard.between(a, b)
    }
}
