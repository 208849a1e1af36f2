/// The named bits of the feature MSRs vcpuid decodes. Names and first releases are from each carried
/// release's arch/x86/include/asm/msr-index.h; rows whose `linux` is nil name a bit only the SDM (or a
/// comment in KVM's x86.c) names. QEMU names are from target/i386/cpu.c feature_word_info.
extension FeatureMSRBits {
    typealias B = FeatureMSRBit

    private static func row(_ msr: UInt32, _ register: String, _ low: Int, _ width: Int, _ name: String,
                            _ linux: KernelVersion?, _ qemu: String?, _ summary: String) -> B {
        B(msr: msr, register: register, name: name, low: low, width: width, linuxSince: linux, qemuName: qemu,
          summary: summary)
    }

    static let rows: [FeatureMSRBit] = [
        //   MSR     register             low wid name                      linux   QEMU                  summary
        row(0x10A, "ARCH_CAPABILITIES",   0, 1, "RDCL_NO",                .v5_10, "rdctl-no",           "not susceptible to Meltdown (rogue data cache load)"),
        row(0x10A, "ARCH_CAPABILITIES",   1, 1, "IBRS_ALL",               .v5_10, "ibrs-all",           "Enhanced IBRS"),
        row(0x10A, "ARCH_CAPABILITIES",   2, 1, "RSBA",                   .v5_19, "rsba",               "RET may use alternative branch predictors"),
        row(0x10A, "ARCH_CAPABILITIES",   3, 1, "SKIP_VMENTRY_L1DFLUSH",  .v5_10, "skip-l1dfl-vmentry", "no L1D flush needed on VM entry"),
        row(0x10A, "ARCH_CAPABILITIES",   4, 1, "SSB_NO",                 .v5_10, "ssb-no",             "not susceptible to Speculative Store Bypass"),
        row(0x10A, "ARCH_CAPABILITIES",   5, 1, "MDS_NO",                 .v5_10, "mds-no",             "not susceptible to Microarchitectural Data Sampling"),
        row(0x10A, "ARCH_CAPABILITIES",   6, 1, "PSCHANGE_MC_NO",         .v5_10, "pschange-mc-no",     "no machine check on a page-size change (iTLB multihit)"),
        row(0x10A, "ARCH_CAPABILITIES",   7, 1, "TSX_CTRL_MSR",           .v5_10, "tsx-ctrl",           "IA32_TSX_CTRL (0x122) exists"),
        row(0x10A, "ARCH_CAPABILITIES",   8, 1, "TAA_NO",                 .v5_10, "taa-no",             "not susceptible to TSX Async Abort"),
        row(0x10A, "ARCH_CAPABILITIES",   9, 1, "MCU_CONTROL",            nil,    nil,                  "IA32_MCU_CONTROL exists (SDM)"),
        row(0x10A, "ARCH_CAPABILITIES",  10, 1, "MISC_PACKAGE_CTRLS",     nil,    nil,                  "IA32_MISC_PACKAGE_CTLS exists (SDM)"),
        row(0x10A, "ARCH_CAPABILITIES",  11, 1, "ENERGY_FILTERING_CTL",   nil,    nil,                  "energy filtering control (SDM)"),
        row(0x10A, "ARCH_CAPABILITIES",  12, 1, "DOITM",                  nil,    nil,                  "data operand independent timing mode (SDM)"),
        row(0x10A, "ARCH_CAPABILITIES",  13, 1, "SBDR_SSDP_NO",           .v5_19, "sbdr-ssdp-no",       "no Shared Buffers Data Read / Sideband Stale Data Propagator"),
        row(0x10A, "ARCH_CAPABILITIES",  14, 1, "FBSDP_NO",               .v5_19, "fbsdp-no",           "no Fill Buffer Stale Data Propagator"),
        row(0x10A, "ARCH_CAPABILITIES",  15, 1, "PSDP_NO",                .v5_19, "psdp-no",            "no Primary Stale Data Propagator"),
        row(0x10A, "ARCH_CAPABILITIES",  16, 1, "MCU_ENUM",               .v6_19, nil,                  "IA32_MCU_ENUMERATION exists"),
        row(0x10A, "ARCH_CAPABILITIES",  17, 1, "FB_CLEAR",               .v5_19, "fb-clear",           "VERW clears CPU fill buffers"),
        row(0x10A, "ARCH_CAPABILITIES",  18, 1, "FB_CLEAR_CTRL",          .v5_19, nil,                  "MCU_OPT_CTRL.FB_CLEAR_DIS is supported"),
        row(0x10A, "ARCH_CAPABILITIES",  19, 1, "RRSBA",                  .v5_19, nil,                  "restricted RSB alternate predictions"),
        row(0x10A, "ARCH_CAPABILITIES",  20, 1, "BHI_NO",                 .v6_9,  "bhi-no",             "not susceptible to Branch History Injection"),
        row(0x10A, "ARCH_CAPABILITIES",  21, 1, "XAPIC_DISABLE",          .v6_1,  nil,                  "IA32_XAPIC_DISABLE_STATUS exists"),
        row(0x10A, "ARCH_CAPABILITIES",  23, 1, "OVERCLOCKING_STATUS",    nil,    nil,                  "IA32_OVERCLOCKING_STATUS exists (SDM)"),
        row(0x10A, "ARCH_CAPABILITIES",  24, 1, "PBRSB_NO",               .v6_0,  "pbrsb-no",           "not susceptible to Post-Barrier RSB predictions"),
        row(0x10A, "ARCH_CAPABILITIES",  25, 1, "GDS_CTRL",               .v6_5,  nil,                  "MCU_OPT_CTRL controls the GDS mitigation"),
        row(0x10A, "ARCH_CAPABILITIES",  26, 1, "GDS_NO",                 .v6_5,  "gds-no",             "not susceptible to Gather Data Sampling"),
        row(0x10A, "ARCH_CAPABILITIES",  27, 1, "RFDS_NO",                .v6_9,  "rfds-no",            "not susceptible to Register File Data Sampling"),
        row(0x10A, "ARCH_CAPABILITIES",  28, 1, "RFDS_CLEAR",             .v6_9,  "rfds-clear",         "VERW clears the register file"),
        row(0x10A, "ARCH_CAPABILITIES",  62, 1, "ITS_NO",                 .v6_17, nil,                  "not susceptible to Indirect Target Selection (set by VMMs)"),

        row(0x0CF, "CORE_CAPS",           2, 1, "INTEGRITY_CAPS",         .v5_19, nil,                  "IA32_INTEGRITY_CAPABILITIES exists"),
        row(0x0CF, "CORE_CAPS",           5, 1, "SPLIT_LOCK_DETECT",      .v5_10, "split-lock-detect",  "#AC on split locks can be enabled"),

        row(0x345, "PERF_CAPABILITIES",   0, 6, "LBR_FMT",                .v6_18, nil,                  "LBR record format"),
        row(0x345, "PERF_CAPABILITIES",   6, 1, "PEBS_TRAP",              .v6_0,  nil,                  "PEBS records are trap-like"),
        row(0x345, "PERF_CAPABILITIES",   7, 1, "ARCH_REG",               .v6_0,  nil,                  "PEBS saves architectural registers"),
        row(0x345, "PERF_CAPABILITIES",   8, 4, "PEBS_FORMAT",            .v6_0,  nil,                  "PEBS record format"),
        row(0x345, "PERF_CAPABILITIES",  12, 1, "SMM_FREEZE",             nil,    nil,                  "counters can freeze in SMM (SDM)"),
        row(0x345, "PERF_CAPABILITIES",  13, 1, "FW_WRITES",              .v6_18, "full-width-write",   "full-width writes to the counters"),
        row(0x345, "PERF_CAPABILITIES",  14, 1, "PEBS_BASELINE",          .v6_0,  nil,                  "adaptive PEBS (baseline)"),
        row(0x345, "PERF_CAPABILITIES",  15, 1, "METRICS",                .v5_15, nil,                  "PERF_METRICS is available"),
        row(0x345, "PERF_CAPABILITIES",  16, 1, "PT",                     .v5_15, nil,                  "PEBS output to Intel PT"),
        row(0x345, "PERF_CAPABILITIES",  17, 1, "PEBS_TIMING_INFO",       .v6_17, nil,                  "PEBS timing information"),

        row(0x0CE, "PLATFORM_INFO",       8, 8, "MAX_NON_TURBO_RATIO",    nil,    nil,                  "maximum non-turbo ratio (SDM)"),
        row(0x0CE, "PLATFORM_INFO",      28, 1, "PRG_TURBO_RATIO",        nil,    nil,                  "programmable turbo ratio limits (SDM)"),
        row(0x0CE, "PLATFORM_INFO",      29, 1, "PRG_TDP_LIMIT",          nil,    nil,                  "programmable TDP limits (SDM)"),
        row(0x0CE, "PLATFORM_INFO",      30, 1, "PRG_TJ_OFFSET",          nil,    nil,                  "programmable TJ offset (SDM)"),
        row(0x0CE, "PLATFORM_INFO",      31, 1, "CPUID_FAULT",            .v5_10, nil,                  "CPUID faulting is supported"),
        row(0x0CE, "PLATFORM_INFO",      40, 8, "MAX_EFFICIENCY_RATIO",   nil,    nil,                  "maximum efficiency ratio (SDM)"),

        row(0x122, "TSX_CTRL",            0, 1, "RTM_DISABLE",            .v5_10, nil,                  "RTM aborts every transaction"),
        row(0x122, "TSX_CTRL",            1, 1, "CPUID_CLEAR",            .v5_10, nil,                  "CPUID hides RTM and HLE"),
    ]
}
