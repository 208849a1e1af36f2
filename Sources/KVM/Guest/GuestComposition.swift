import CPUID

/// A composed guest table and the account of how it came to be: what each edit did, and what to watch.
public struct GuestComposition: Sendable {
    /// What one edit changed.
    public struct Step: Hashable, Sendable {
        public var edit: String
        /// One line per change, e.g. `cleared SGX2 CPUID.(EAX=12H,ECX=0):EAX[1] (depends on SGX1)`.
        public var changes: [String]
    }

    public var base: GuestBase
    public var table: Snapshot
    public var steps: [Step]
    /// Things allowed but worth knowing (unsupported features enabled, rules the base already breaks).
    public var warnings: [String]
    /// Advisory rule findings (e.g. AEX-Notify without EDECCSSA).
    public var advisories: [RuleViolation]
    /// The features turned on by `--enable` that are on in the final table, in the order enabled.
    public var enabledFeatures: [GuestFeature]
    /// The features turned off by `--disable` by name that are off in the final table, in the order disabled.
    public var disabledFeatures: [GuestFeature] = []

    /// The entries whose registers differ from the base (or that the base lacks).
    public var changedKeys: [LeafKey] {
        table.entries.filter { base.snapshot.entry($0.leaf, $0.subleaf)?.registers != $0.registers }.map(\.key)
    }

    /// The entries the base has and the table dropped.
    public var removedKeys: [LeafKey] {
        base.snapshot.entries.filter { table.entry($0.leaf, $0.subleaf) == nil }.map(\.key)
    }
}
