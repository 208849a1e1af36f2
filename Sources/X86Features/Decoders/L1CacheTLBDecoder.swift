import CPUID

/// Leaf 0x80000005: L1 data and instruction caches and TLBs, in AMD's layout, which VIA/Centaur and
/// Zhaoxin parts use too. Intel reserves the leaf.
public struct L1CacheTLBDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_0005]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return switch CPUVendor(snapshot) {
        case .amd, .hygon, .centaur, .zhaoxin: Self.amd
        case .intel, .transmeta, .other: Self.reserved
        }
    }

    static let amd = FieldTable([
        .bits(.eax, 7, 0, "l1_itlb_2m4m_entries"),
        .bits(.eax, 15, 8, "l1_itlb_2m4m_ways", .ways),
        .bits(.eax, 23, 16, "l1_dtlb_2m4m_entries"),
        .bits(.eax, 31, 24, "l1_dtlb_2m4m_ways", .ways),
        .bits(.ebx, 7, 0, "l1_itlb_4k_entries"),
        .bits(.ebx, 15, 8, "l1_itlb_4k_ways", .ways),
        .bits(.ebx, 23, 16, "l1_dtlb_4k_entries"),
        .bits(.ebx, 31, 24, "l1_dtlb_4k_ways", .ways),
        .bits(.ecx, 7, 0, "l1d_line_size", .bytes(scale: 1)),
        .bits(.ecx, 15, 8, "l1d_lines_per_tag"),
        .bits(.ecx, 23, 16, "l1d_ways", .ways),
        .bits(.ecx, 31, 24, "l1d_size", .bytes(scale: 1024)),
        .bits(.edx, 7, 0, "l1i_line_size", .bytes(scale: 1)),
        .bits(.edx, 15, 8, "l1i_lines_per_tag"),
        .bits(.edx, 23, 16, "l1i_ways", .ways),
        .bits(.edx, 31, 24, "l1i_size", .bytes(scale: 1024)),
    ])

    static let reserved = FieldTable([])
}
