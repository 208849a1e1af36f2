import CPUID

/// One CPUID input the guest executes, and why it is in the probe.
public struct ProbeTarget: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// An entry of the table given to KVM.
        case tableEntry = "table entry"
        /// The first basic leaf above the table's maximum (leaf 0 EAX).
        case beyondMaxBasicLeaf = "one past the max basic leaf"
        /// The first extended leaf above the table's maximum (0x80000000 EAX).
        case beyondMaxExtendedLeaf = "one past the max extended leaf"
        /// A subleaf the table does not list, of a leaf whose subleaves matter.
        case unlistedSubleaf = "unlisted subleaf"
    }

    public var key: LeafKey
    public var kind: Kind

    public init(_ key: LeafKey, _ kind: Kind) {
        self.key = key
        self.kind = kind
    }

    public var description: String { "\(key) (\(kind.rawValue))" }

    /// Every table entry, then the out-of-range probes.
    public static func all(for table: Snapshot) -> [ProbeTarget] {
        table.keys.map { ProbeTarget($0, .tableEntry) } + outOfRange(for: table)
    }

    /// One past the max basic leaf, one past the max extended leaf, and an unlisted subleaf of an
    /// index-significant leaf (a generic one, and leaf 0xB or 0x1F when present, whose rule differs).
    public static func outOfRange(for table: Snapshot) -> [ProbeTarget] {
        var targets: [ProbeTarget] = []
        var basic = table.maxBasicLeaf &+ 1
        while table.entry(basic, 0) != nil, basic < 0x3FFF_FFFF { basic += 1 }
        targets.append(ProbeTarget(LeafKey(basic, 0), .beyondMaxBasicLeaf))
        let maxExtended = table.maxExtendedLeaf
        var extended = maxExtended == 0 ? 0x8000_0000 : maxExtended &+ 1
        while table.entry(extended, 0) != nil, extended < 0xBFFF_FFFF { extended += 1 }
        targets.append(ProbeTarget(LeafKey(extended, 0), .beyondMaxExtendedLeaf))

        let indexed = Dictionary(grouping: table.entries.filter(\.significantIndex), by: \.leaf)
        let topology: Set<UInt32> = [0xB, 0x1F]
        let generic = indexed.keys.filter { !topology.contains($0) && $0 <= table.maxBasicLeaf }.sorted()
        // Leaf 7 first when present: every KVM table lists it, so probes stay comparable across machines.
        let chosen = generic.contains(7) ? [UInt32(7)] : Array(generic.prefix(1))
        for leaf in chosen + topology.filter({ indexed[$0] != nil }).sorted() {
            let listed = Set(indexed[leaf, default: []].map(\.subleaf))
            var subleaf = (listed.max() ?? 0) &+ 1
            while listed.contains(subleaf) { subleaf &+= 1 }
            targets.append(ProbeTarget(LeafKey(leaf, subleaf), .unlistedSubleaf))
        }
        return targets
    }
}
