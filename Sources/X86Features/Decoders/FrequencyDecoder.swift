import CPUID

/// Leaf 0x16: nominal base, maximum and bus frequencies (informational, in MHz).
public struct FrequencyDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x16]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .bits(.eax, 15, 0, "base_frequency", .megahertz),
        .bits(.ebx, 15, 0, "max_frequency", .megahertz),
        .bits(.ecx, 15, 0, "bus_frequency", .megahertz),
    ])
}
