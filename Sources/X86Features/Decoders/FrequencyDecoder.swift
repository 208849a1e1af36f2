import CPUID

/// Leaf 0x16: nominal base, maximum and bus frequencies (informational, in MHz).
public struct FrequencyDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x16]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) { Self.table.decode(leaf: 0x16, in: snapshot, into: &fields) }

    static let table = FieldTable([
        .bits(.eax, 15, 0, "base_frequency", .megahertz),
        .bits(.ebx, 15, 0, "max_frequency", .megahertz),
        .bits(.ecx, 15, 0, "bus_frequency", .megahertz),
    ])
}
