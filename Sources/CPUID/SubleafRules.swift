/// Which leaves take a subleaf in ECX. The enumeration rules (where each leaf's subleaves end)
/// build on this list; it is data so that every source and every writer agree.
public enum SubleafRules {
    /// Leaves whose answer depends on ECX.
    public static let indexedLeaves: Set<UInt32> = [
        0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1B, 0x1D, 0x1E, 0x1F, 0x20, 0x23, 0x24,
        0x8000_001D, 0x8000_0020, 0x8000_0026,
    ]

    public static func hasSubleaves(_ leaf: UInt32) -> Bool { indexedLeaves.contains(leaf) }
}
