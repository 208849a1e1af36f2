import CPUID

/// What a guest's CPUID instruction returns for a table KVM holds, by upstream KVM's lookup rule
/// (arch/x86/kvm/cpuid.c, `kvm_cpuid` and `get_out_of_range_cpuid_entry`), before run-time fields.
public enum KVMCPUIDLookup {
    /// Which rule produced an expected answer.
    public enum Rule: Hashable, Sendable, CustomStringConvertible {
        /// The table has an entry for these inputs (exact, or the leaf ignores the subleaf).
        case tableEntry(LeafKey)
        /// Out of range for a non-AMD vendor: the max basic leaf's entry, at the same subleaf.
        case maxBasicLeaf(LeafKey)
        /// No entry applies: all zero.
        case zeros
        /// Leaf 0xB/0x1F with an unlisted subleaf: zeros, but ECX[7:0] = subleaf and EDX = x2APIC ID.
        case topologyPassThrough(leaf: UInt32)

        public var description: String {
            switch self {
            case let .tableEntry(key): "table entry \(key)"
            case let .maxBasicLeaf(key): "out of range: the max basic leaf's entry \(key) (non-AMD vendor rule)"
            case .zeros: "no entry: all zero"
            case let .topologyPassThrough(leaf): "leaf \(Hex.word(leaf)) unlisted subleaf: ECX[7:0] = subleaf, EDX = x2APIC ID"
            }
        }
    }

    /// The registers KVM would return for CPUID(leaf, subleaf), and the rule that chose them.
    public static func expected(_ table: Snapshot, leaf: UInt32, subleaf: UInt32) -> (registers: Registers, rule: Rule) {
        var function = leaf
        if let entry = find(table, leaf, subleaf) {
            return (entry.registers, .tableEntry(entry.key))
        }
        if let basic = find(table, 0, 0), !isAMDLike(basic.registers), isOutOfRange(table, leaf) {
            function = basic.registers.eax
            if let entry = find(table, function, subleaf) {
                return (entry.registers, .maxBasicLeaf(entry.key))
            }
        }
        if function == 0xB || function == 0x1F, let one = find(table, function, 1) {
            return (Registers(eax: 0, ebx: 0, ecx: subleaf & 0xff, edx: one.registers.edx),
                    .topologyPassThrough(leaf: function))
        }
        return (.zero, .zeros)
    }

    /// The first entry with this function whose index matches or does not matter (KVM's search order).
    static func find(_ table: Snapshot, _ leaf: UInt32, _ subleaf: UInt32) -> CPUIDEntry? {
        for entry in table.subleaves(of: leaf) where !entry.significantIndex || entry.subleaf == subleaf {
            return entry
        }
        return nil
    }

    /// AMD and Hygon guests get zeros for out-of-range leaves; everyone else the max basic leaf.
    static func isAMDLike(_ leaf0: Registers) -> Bool { CPUVendor(leaf0: leaf0).followsAMD }

    /// A leaf is out of range when its class (basic, hypervisor sub-range, extended, Centaur) has no base
    /// entry or the base entry's EAX is below it.
    static func isOutOfRange(_ table: Snapshot, _ leaf: UInt32) -> Bool {
        let base: UInt32
        switch leaf {
        case 0x4000_0000...0x4FFF_FFFF: base = leaf & 0xFFFF_FF00
        case 0xC000_0000...: base = 0xC000_0000
        default: base = leaf & 0x8000_0000
        }
        guard let classEntry = find(table, base, 0) else { return true }
        return leaf > classEntry.registers.eax
    }
}
