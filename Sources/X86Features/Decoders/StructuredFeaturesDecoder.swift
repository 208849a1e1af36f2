import CPUID

/// Leaf 7: structured extended feature flags. Subleaf 0 holds the highest subleaf and the main
/// flags; subleaves 1 and 2 hold newer instructions and speculation controls. AMD uses the same bits.
public struct StructuredFeaturesDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [7]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        // Subleaves past the highest one subleaf 0 enumerates are not answers.
        guard entry.subleaf == 0 || entry.subleaf <= snapshot.value(7, 0, .eax) else { return nil }
        return switch entry.subleaf {
        case 0: Self.subleaf0
        case 1: Self.subleaf1
        case 2: Self.subleaf2
        default: Self.undefined
        }
    }

    static let subleaf0 = FieldTable([
        .bits(.eax, 31, 0, "max_subleaf"),
        .flag(.ebx, 0, "fsgsbase"),
        .flag(.ebx, 1, "tsc_adjust"),
        .flag(.ebx, 2, "sgx"),
        .flag(.ebx, 3, "bmi1"),
        .flag(.ebx, 4, "hle"),
        .flag(.ebx, 5, "avx2"),
        .flag(.ebx, 6, "fdp_excptn_only"),
        .flag(.ebx, 7, "smep"),
        .flag(.ebx, 8, "bmi2"),
        .flag(.ebx, 9, "erms"),
        .flag(.ebx, 10, "invpcid"),
        .flag(.ebx, 11, "rtm"),
        .flag(.ebx, 12, "cqm"),
        .flag(.ebx, 13, "zero_fcs_fds"),
        .flag(.ebx, 14, "mpx"),
        .flag(.ebx, 15, "rdt_a"),
        .flag(.ebx, 16, "avx512f"),
        .flag(.ebx, 17, "avx512dq"),
        .flag(.ebx, 18, "rdseed"),
        .flag(.ebx, 19, "adx"),
        .flag(.ebx, 20, "smap"),
        .flag(.ebx, 21, "avx512ifma"),
        .flag(.ebx, 22, "pcommit"),
        .flag(.ebx, 23, "clflushopt"),
        .flag(.ebx, 24, "clwb"),
        .flag(.ebx, 25, "intel_pt"),
        .flag(.ebx, 26, "avx512pf"),
        .flag(.ebx, 27, "avx512er"),
        .flag(.ebx, 28, "avx512cd"),
        .flag(.ebx, 29, "sha_ni"),
        .flag(.ebx, 30, "avx512bw"),
        .flag(.ebx, 31, "avx512vl"),
        .flag(.ecx, 0, "prefetchwt1"),
        .flag(.ecx, 1, "avx512vbmi"),
        .flag(.ecx, 2, "umip"),
        .flag(.ecx, 3, "pku"),
        .flag(.ecx, 4, "ospke"),
        .flag(.ecx, 5, "waitpkg"),
        .flag(.ecx, 6, "avx512_vbmi2"),
        .flag(.ecx, 7, "shstk"),
        .flag(.ecx, 8, "gfni"),
        .flag(.ecx, 9, "vaes"),
        .flag(.ecx, 10, "vpclmulqdq"),
        .flag(.ecx, 11, "avx512_vnni"),
        .flag(.ecx, 12, "avx512_bitalg"),
        .flag(.ecx, 13, "tme"),
        .flag(.ecx, 14, "avx512_vpopcntdq"),
        .flag(.ecx, 16, "la57"),
        .bits(.ecx, 21, 17, "mawau"),
        .flag(.ecx, 22, "rdpid"),
        .flag(.ecx, 23, "key_locker"),
        .flag(.ecx, 24, "bus_lock_detect"),
        .flag(.ecx, 25, "cldemote"),
        .flag(.ecx, 27, "movdiri"),
        .flag(.ecx, 28, "movdir64b"),
        .flag(.ecx, 29, "enqcmd"),
        .flag(.ecx, 30, "sgx_lc"),
        .flag(.ecx, 31, "pks"),
        .flag(.edx, 1, "sgx_keys"),
        .flag(.edx, 2, "avx512_4vnniw"),
        .flag(.edx, 3, "avx512_4fmaps"),
        .flag(.edx, 4, "fsrm"),
        .flag(.edx, 5, "uintr"),
        .flag(.edx, 8, "avx512_vp2intersect"),
        .flag(.edx, 9, "srbds_ctrl"),
        .flag(.edx, 10, "md_clear"),
        .flag(.edx, 11, "rtm_always_abort"),
        .flag(.edx, 13, "tsx_force_abort"),
        .flag(.edx, 14, "serialize"),
        .flag(.edx, 15, "hybrid_cpu"),
        .flag(.edx, 16, "tsxldtrk"),
        .flag(.edx, 18, "pconfig"),
        .flag(.edx, 19, "arch_lbr"),
        .flag(.edx, 20, "ibt"),
        .flag(.edx, 22, "amx_bf16"),
        .flag(.edx, 23, "avx512_fp16"),
        .flag(.edx, 24, "amx_tile"),
        .flag(.edx, 25, "amx_int8"),
        .flag(.edx, 26, "spec_ctrl"),
        .flag(.edx, 27, "intel_stibp"),
        .flag(.edx, 28, "flush_l1d"),
        .flag(.edx, 29, "arch_capabilities"),
        .flag(.edx, 30, "core_capabilities"),
        .flag(.edx, 31, "spec_ctrl_ssbd"),
    ])

    static let subleaf1 = FieldTable([
        .flag(.eax, 0, "sha512"),
        .flag(.eax, 1, "sm3"),
        .flag(.eax, 2, "sm4"),
        .flag(.eax, 3, "rao_int"),
        .flag(.eax, 4, "avx_vnni"),
        .flag(.eax, 5, "avx512_bf16"),
        .flag(.eax, 6, "lass"),
        .flag(.eax, 7, "cmpccxadd"),
        .flag(.eax, 8, "arch_perfmon_ext"),
        .flag(.eax, 10, "fzrm"),
        .flag(.eax, 11, "fsrs"),
        .flag(.eax, 12, "fsrc"),
        .flag(.eax, 17, "fred"),
        .flag(.eax, 18, "lkgs"),
        .flag(.eax, 19, "wrmsrns"),
        .flag(.eax, 20, "nmi_src"),
        .flag(.eax, 21, "amx_fp16"),
        .flag(.eax, 22, "hreset"),
        .flag(.eax, 23, "avx_ifma"),
        .flag(.eax, 26, "lam"),
        .flag(.eax, 27, "msrlist"),
        .flag(.eax, 30, "invd_disable_post_bios_done"),
        .flag(.eax, 31, "movrs"),
        .flag(.ebx, 0, "intel_ppin"),
        .flag(.ebx, 1, "pbndkb"),
        .flag(.ecx, 5, "msr_imm"),
        .flag(.edx, 4, "avx_vnni_int8"),
        .flag(.edx, 5, "avx_ne_convert"),
        .flag(.edx, 8, "amx_complex"),
        .flag(.edx, 10, "avx_vnni_int16"),
        .flag(.edx, 13, "utmr"),
        .flag(.edx, 14, "prefetchi"),
        .flag(.edx, 15, "user_msr"),
        .flag(.edx, 17, "uiret_uif"),
        .flag(.edx, 18, "cet_sss"),
        .flag(.edx, 19, "avx10"),
        .flag(.edx, 21, "apx_f"),
        .flag(.edx, 23, "mwait"),
    ])

    static let subleaf2 = FieldTable([
        .flag(.edx, 0, "psfd"),
        .flag(.edx, 1, "ipred_ctrl"),
        .flag(.edx, 2, "rrsba_ctrl"),
        .flag(.edx, 3, "ddpd_u"),
        .flag(.edx, 4, "bhi_ctrl"),
        .flag(.edx, 5, "mcdt_no"),
        .flag(.edx, 6, "uc_lock_disable"),
        .flag(.edx, 7, "monitor_mitg_no"),
    ])

    /// Subleaves past 2 define nothing yet; any set bit shows up as `unknown`.
    static let undefined = FieldTable([])
}
