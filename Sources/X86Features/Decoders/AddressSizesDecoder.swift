import CPUID

/// Leaf 0x80000008: physical and linear address widths; on AMD also the guest physical width,
/// the EBX feature flags (speculation controls, CLZERO, INVLPGB, ...), thread count and APIC ID size.
/// Intel defines only the two widths and EBX[9] WBNOINVD.
public struct AddressSizesDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_0008]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return CPUVendor(snapshot).followsAMD ? Self.amd : Self.intel
    }

    static let perfTSCSize = Choices(["40 bits", "48 bits", "56 bits", "64 bits"])

    static let amd = FieldTable([
        .bits(.eax, 7, 0, "physical_address_bits", .bitWidth),
        .bits(.eax, 15, 8, "linear_address_bits", .bitWidth),
        .bits(.eax, 23, 16, "guest_physical_address_bits", .bitWidth),
        .flag(.ebx, 0, "clzero"),
        .flag(.ebx, 1, "irperf"),
        .flag(.ebx, 2, "xsaveerptr"),
        .flag(.ebx, 3, "invlpgb"),
        .flag(.ebx, 4, "rdpru"),
        .flag(.ebx, 6, "mba"),
        .flag(.ebx, 8, "mcommit"),
        .flag(.ebx, 9, "wbnoinvd"),
        .flag(.ebx, 12, "amd_ibpb"),
        .flag(.ebx, 13, "wbinvd_int"),
        .flag(.ebx, 14, "amd_ibrs"),
        .flag(.ebx, 15, "amd_stibp"),
        .flag(.ebx, 16, "ibrs_always_on"),
        .flag(.ebx, 17, "amd_stibp_always_on"),
        .flag(.ebx, 18, "ibrs_fast"),
        .flag(.ebx, 19, "amd_ibrs_same_mode"),
        .flag(.ebx, 20, "efer_lmsle_mbz"),
        .flag(.ebx, 21, "tlb_flush_nested"),
        .flag(.ebx, 23, "amd_ppin"),
        .flag(.ebx, 24, "amd_ssbd"),
        .flag(.ebx, 25, "virt_ssbd"),
        .flag(.ebx, 26, "amd_ssb_no"),
        .flag(.ebx, 27, "cppc"),
        .flag(.ebx, 28, "amd_psfd"),
        .flag(.ebx, 29, "btc_no"),
        .flag(.ebx, 30, "amd_ibpb_ret"),
        .flag(.ebx, 31, "brs"),
        .bits(.ecx, 7, 0, "thread_count", .countPlusOne),
        .bits(.ecx, 15, 12, "apic_id_core_id_size"),
        .bits(.ecx, 17, 16, "perf_tsc_size", .choice(perfTSCSize)),
        .bits(.edx, 15, 0, "invlpgb_max_pages"),
        .bits(.edx, 31, 16, "rdpru_max_register"),
    ])

    static let intel = FieldTable([
        .bits(.eax, 7, 0, "physical_address_bits", .bitWidth),
        .bits(.eax, 15, 8, "linear_address_bits", .bitWidth),
        .flag(.ebx, 9, "wbnoinvd"),
    ])
}
