import CPUID

/// Leaf 0x8000001E (AMD, Hygon): extended APIC ID, core (or compute unit) and node identifiers.
public struct ProcessorTopologyDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_001E]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return CPUVendor(snapshot).followsAMD ? Self.amd : Self.reserved
    }

    static let amd = FieldTable([
        .bits(.eax, 31, 0, "extended_apic_id"),
        .bits(.ebx, 7, 0, "core_id"),
        .bits(.ebx, 15, 8, "threads_per_core", .countPlusOne),
        .bits(.ecx, 7, 0, "node_id"),
        .bits(.ecx, 10, 8, "nodes_per_processor", .countPlusOne),
    ])

    static let reserved = FieldTable([])
}
