import CPUID

/// Leaf 0x80000021 (AMD): extended feature identifiers 2 (speculation fixes, serializing LFENCE,
/// automatic IBRS, SRSO and TSA immunity, ...) and the microcode patch size.
public struct ExtendedFeatures2Decoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_0021]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .flag(.eax, 0, "no_nested_data_bp"),
        .flag(.eax, 1, "wrmsr_xx_base_ns"),
        .flag(.eax, 2, "lfence_rdtsc"),
        .flag(.eax, 3, "smm_pgcfg_lock"),
        .flag(.eax, 5, "verw_clear"),
        .flag(.eax, 6, "null_sel_clr_base"),
        .flag(.eax, 7, "upper_address_ignore"),
        .flag(.eax, 8, "autoibrs"),
        .flag(.eax, 9, "no_smm_ctl_msr"),
        .flag(.eax, 10, "fsrs"),
        .flag(.eax, 11, "fsrc"),
        .flag(.eax, 13, "prefetch_ctl_msr"),
        .flag(.eax, 17, "gp_on_user_cpuid"),
        .flag(.eax, 18, "epsf"),
        .flag(.eax, 20, "prefetchi"),
        .flag(.eax, 23, "avx512_bmm"),
        .flag(.eax, 24, "eraps"),
        .flag(.eax, 27, "sbpb"),
        .flag(.eax, 28, "ibpb_brtype"),
        .flag(.eax, 29, "srso_no"),
        .flag(.eax, 30, "srso_user_kernel_no"),
        .flag(.eax, 31, "srso_msr_fix"),
        .bits(.ebx, 11, 0, "microcode_patch_size", .bytes(scale: 16)),
        .flag(.ecx, 1, "tsa_sq_no"),
        .flag(.ecx, 2, "tsa_l1_no"),
    ])
}
