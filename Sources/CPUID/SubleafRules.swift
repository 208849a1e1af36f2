/// Which leaves take a subleaf in ECX: exactly the leaves with a row in `Enumeration.subleafRules`,
/// so that every source and every writer agree.
public enum SubleafRules {
    /// Leaves whose answer depends on ECX.
    public static let indexedLeaves: Set<UInt32> = Set(Enumeration.subleafRules.keys)

    /// The same set as bitmaps of the first 64 basic and extended leaves, because readers ask once per entry.
    private static let basicBits: UInt64 = bits(base: 0)
    private static let extendedBits: UInt64 = bits(base: 0x8000_0000)

    private static func bits(base: UInt32) -> UInt64 {
        indexedLeaves.reduce(0) { mask, leaf in
            leaf >= base && leaf - base < 64 ? mask | 1 << UInt64(leaf - base) : mask
        }
    }

    @inline(__always)
    public static func hasSubleaves(_ leaf: UInt32) -> Bool {
        if leaf < 64 { return basicBits >> UInt64(leaf) & 1 != 0 }
        if leaf >= 0x8000_0000, leaf - 0x8000_0000 < 64 { return extendedBits >> UInt64(leaf - 0x8000_0000) & 1 != 0 }
        return indexedLeaves.contains(leaf)
    }
}
