import CPUID

/// What a kernel's KVM would answer to KVM_GET_SUPPORTED_CPUID on a host, and why, bit by bit.
public struct SupportedPrediction: Sendable {
    /// The predicted table, entries flagged index-significant as KVM flags them.
    public var snapshot: Snapshot
    public var kernel: KVMKernelProfile
    public var module: KVMModuleOptions
    /// KVM's capability array behind the table.
    public var capabilities: KVMCapabilities
    /// For each entry and register, the rules in the order they were applied; a later rule wins for its bits.
    public var rules: [LeafKey: [Register: [KVMFieldRule]]]
    /// Assumptions the model had to make for this host (missing dump entries, inferred host state).
    public var notes: [String]

    /// The rule that decided this bit; nil when the table has no such entry.
    public func rule(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register, bit: Int) -> KVMRule? {
        guard let list = rules[LeafKey(leaf, subleaf)]?[register] else { return nil }
        let mask = UInt32(1) << UInt32(bit)
        return list.last { $0.mask & mask != 0 }?.rule
    }

    /// The rule that decided a single-bit field.
    public func rule(for field: CPUIDField) -> KVMRule? {
        rule(field.leaf, field.subleaf, field.register, bit: field.low)
    }

    /// The distinct rules of one register, each with the bits it decided last.
    public func rules(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register) -> [KVMFieldRule] {
        guard let list = rules[LeafKey(leaf, subleaf)]?[register] else { return [] }
        var result: [KVMFieldRule] = []
        var claimed: UInt32 = 0
        for item in list.reversed() {
            let bits = item.mask & ~claimed
            claimed |= item.mask
            guard bits != 0 else { continue }
            if let i = result.firstIndex(where: { $0.rule == item.rule }) {
                result[i].mask |= bits
            } else {
                result.append(KVMFieldRule(mask: bits, rule: item.rule))
            }
        }
        return result.sorted { $0.mask.trailingZeroBitCount < $1.mask.trailingZeroBitCount }
    }
}
