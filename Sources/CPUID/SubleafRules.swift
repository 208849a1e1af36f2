/// Which leaves take a subleaf in ECX: exactly the leaves with a row in `Enumeration.subleafRules`,
/// so that every source and every writer agree.
public enum SubleafRules {
    /// Leaves whose answer depends on ECX.
    public static let indexedLeaves: Set<UInt32> = Set(Enumeration.subleafRules.keys)

    public static func hasSubleaves(_ leaf: UInt32) -> Bool { Enumeration.subleafRules[leaf] != nil }
}
