import CPUID

/// Leaf 0x15: the TSC to core-crystal-clock ratio and the crystal frequency.
public struct TimeStampCounterDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x15]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .bits(.eax, 31, 0, "tsc_ratio_denominator"),
        .bits(.ebx, 31, 0, "tsc_ratio_numerator"),
        .bits(.ecx, 31, 0, "crystal_hz"),
    ])
}
