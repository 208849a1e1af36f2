import CPUID

/// Leaf 0x80000006: L2 cache (both vendors) and, on AMD, the L2 TLBs and the L3 cache.
/// Associativity is a 4-bit code whose table differs between the vendors.
public struct L2L3CacheTLBDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_0006]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return CPUVendor(snapshot).followsAMD ? Self.amd : Self.intel
    }

    /// AMD APM Vol. 3, CPUID Fn8000_0006: L2/L3 associativity encodings.
    static let amdWays = Choices([
        "disabled", "1-way (direct mapped)", "2-way", "3-way", "4 to 5-way", "6 to 7-way", "8 to 15-way", nil,
        "16 to 31-way", "see leaf 0x8000001D", "32 to 47-way", "48 to 63-way", "64 to 95-way", "96 to 127-way",
        "128-way or more", "fully associative",
    ])

    /// Intel SDM, CPUID leaf 80000006H ECX[15:12].
    static let intelWays = Choices([
        "disabled", "1-way (direct mapped)", "2-way", "see leaf 4", "4-way", nil, "8-way", "see leaf 4",
        "16-way", nil, "32-way", "48-way", "64-way", "96-way", "128-way", "fully associative",
    ])

    static let amd = FieldTable([
        .bits(.eax, 11, 0, "l2_itlb_2m4m_entries"),
        .bits(.eax, 15, 12, "l2_itlb_2m4m_ways", .choice(amdWays)),
        .bits(.eax, 27, 16, "l2_dtlb_2m4m_entries"),
        .bits(.eax, 31, 28, "l2_dtlb_2m4m_ways", .choice(amdWays)),
        .bits(.ebx, 11, 0, "l2_itlb_4k_entries"),
        .bits(.ebx, 15, 12, "l2_itlb_4k_ways", .choice(amdWays)),
        .bits(.ebx, 27, 16, "l2_dtlb_4k_entries"),
        .bits(.ebx, 31, 28, "l2_dtlb_4k_ways", .choice(amdWays)),
        .bits(.ecx, 7, 0, "l2_line_size", .bytes(scale: 1)),
        .bits(.ecx, 11, 8, "l2_lines_per_tag"),
        .bits(.ecx, 15, 12, "l2_ways", .choice(amdWays)),
        .bits(.ecx, 31, 16, "l2_size", .bytes(scale: 1024)),
        .bits(.edx, 7, 0, "l3_line_size", .bytes(scale: 1)),
        .bits(.edx, 11, 8, "l3_lines_per_tag"),
        .bits(.edx, 15, 12, "l3_ways", .choice(amdWays)),
        .bits(.edx, 31, 18, "l3_size", .bytes(scale: 512 * 1024)),
    ])

    static let intel = FieldTable([
        .bits(.ecx, 7, 0, "l2_line_size", .bytes(scale: 1)),
        .bits(.ecx, 15, 12, "l2_ways", .choice(intelWays)),
        .bits(.ecx, 31, 16, "l2_size", .bytes(scale: 1024)),
    ])
}
