import CPUID

/// Leaf 0x15: the TSC to core-crystal-clock ratio and the crystal frequency.
public struct TimeStampCounterDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x15]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) { Self.table.decode(leaf: 0x15, in: snapshot, into: &fields) }

    static let table = FieldTable([
        .bits(.eax, 31, 0, "tsc_ratio_denominator"),
        .bits(.ebx, 31, 0, "tsc_ratio_numerator"),
        .bits(.ecx, 31, 0, "crystal_hz"),
    ])
}
