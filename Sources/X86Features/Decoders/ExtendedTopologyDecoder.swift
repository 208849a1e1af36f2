import CPUID

/// Leaves 0xB and 0x1F: extended topology, one subleaf per level (SMT, core, module, tile, die, ...)
/// up to and including the first level of type 0 (invalid), which ends the enumeration.
public struct ExtendedTopologyDecoder: FieldTableDecoder {
    public let leaves: [UInt32]

    /// `leaf` is 0xB (v1) or 0x1F (v2, which adds module, tile, die and die-group levels).
    public init(leaf: UInt32) { leaves = [leaf] }

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        // The first level of type 0 ends the list; it is shown, what follows it is not.
        let ended = snapshot.enumerationEnded(before: entry.subleaf, of: leaves[0]) { ($0.ecx >> 8) & 0xff == 0 }
        return ended ? nil : Self.table
    }

    static let levelType = Choices(["invalid", "SMT", "core", "module", "tile", "die", "die group"])

    static let table = FieldTable([
        .bits(.eax, 4, 0, "x2apic_id_shift"),
        .bits(.ebx, 15, 0, "logical_processors"),
        .bits(.ecx, 7, 0, "level_number"),
        .bits(.ecx, 15, 8, "level_type", .choice(levelType)),
        .bits(.edx, 31, 0, "x2apic_id"),
    ])
}
