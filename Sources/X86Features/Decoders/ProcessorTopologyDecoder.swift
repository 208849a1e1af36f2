import CPUID

/// Leaf 0x8000001E (AMD, Hygon): extended APIC ID, core (or compute unit) and node identifiers.
public struct ProcessorTopologyDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x8000_001E]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        (DecoderVendor(snapshot).followsAMD ? Self.amd : Self.reserved).decode(leaf: 0x8000_001E, in: snapshot, into: &fields)
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
