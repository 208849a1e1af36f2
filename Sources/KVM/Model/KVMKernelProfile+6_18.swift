import X86Features

extension KVMKernelProfile {
    /// Linux 6.18: every word is built by `kvm_cpu_cap_init()` with the F/SCATTERED_F/X86_64_F/EMULATED_F/
    /// SYNTHESIZED_F/PASSTHROUGH_F/ALIASED_1_EDX_F/VENDOR_F/RUNTIME_F rows, eight KVM-only words, CET (SHSTK/IBT),
    /// leaf 7 up to subleaf 2, basic leaves up to 0x24 and extended leaves up to 0x80000022.
    public static let v6_18 = KVMKernelProfile(
        version: KernelVersion(6, 18),
        source: "Linux v6.18 (ribel13/linux-6.18.y db348fba): arch/x86/kvm/cpuid.c blob 52524e0ca9, reverse_cpuid.h "
            + "743ab25ba7, vmx/vmx.c 91b6f2f3ed, svm/svm.c 9d29b2e7e8, asm/sgx.h 6a00697615",
        initializers: capabilityTable6_18,
        adjustments: commonAdjustments6_18,
        vendorAdjustments: [
            .kvmIntel: vmxAdjustments(clearsEDECCSSA: true),
            .kvmAMD: svmAdjustments6_18,
            .kvmPVM: pvmAdjustments,
        ],
        maxBasicLeaf: 0x24,
        maxExtendedLeaf: 0x8000_0022,
        maxLeaf7Subleaf: 2,
        sgxAttributeMask: 0x0000_04B6,
        indexedLeaves: [0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1D, 0x1E, 0x1F, 0x24, 0x8000_001D],
        leaves: leaves6_18
    )

    /// __do_cpuid_func() of 6.18: the 6.2 leaf code plus everything 6.6 and 6.12 added, 0x80000022 zeroed
    /// without PerfMonV2, CET states in IA32_XSS, and the Centaur range walked on Zhaoxin hosts.
    static let leaves6_18 = KVMLeafHandling(
        passesThroughLeaf9: false, handlesSGXLeaf: true, reportsHostTopology: false, clearsReservedExtendedBits: true,
        hasSEVWord: true, usesHostPhysBitsWithoutTDP: true, raisesExtendedMaxFor21: true,
        passesThroughL1CacheLeaf: true, extendedFeatures2: .capabilityWords, perfMonV2Leaf: .zeroes,
        reportsGuestPhysAddrSize: true, clearsXFDFlagWithoutXFD: true, dropsTileConfigWithTileData: true,
        offersCETStates: true, walksCentaurRangeOnZhaoxin: true
    )

    static let capabilityTable6_18: [KVMCapabilityInit] = [
        KVMCapabilityInit(.cpuid_1_ECX, .initializer, [
            .f("XMM3", 0), .f("PCLMULQDQ", 1), .vendor("DTES64", 2), .runtime("MWAIT", 3), .vendor("VMX", 5),
            .f("SSSE3", 9), .f("FMA", 12), .f("CX16", 13), .f("PDCM", 15), .f("PCID", 17), .f("XMM4_1", 19),
            .f("XMM4_2", 20), .emulated("X2APIC", 21), .f("MOVBE", 22), .f("POPCNT", 23),
            .emulated("TSC_DEADLINE_TIMER", 24), .f("AES", 25), .f("XSAVE", 26), .runtime("OSXSAVE", 27),
            .f("AVX", 28), .f("F16C", 29), .f("RDRAND", 30), .emulated("HYPERVISOR", 31),
        ]),
        KVMCapabilityInit(.cpuid_1_EDX, .initializer, [
            .f("FPU", 0), .f("VME", 1), .f("DE", 2), .f("PSE", 3), .f("TSC", 4), .f("MSR", 5), .f("PAE", 6),
            .f("MCE", 7), .f("CX8", 8), .f("APIC", 9), .f("SEP", 11), .f("MTRR", 12), .f("PGE", 13),
            .f("MCA", 14), .f("CMOV", 15), .f("PAT", 16), .f("PSE36", 17), .f("CLFLUSH", 19), .vendor("DS", 21),
            .f("MMX", 23), .f("FXSR", 24), .f("XMM", 25), .f("XMM2", 26), .f("SELFSNOOP", 27),
        ]),
        KVMCapabilityInit(.cpuid_7_0_EBX, .initializer, [
            .f("FSGSBASE", 0), .emulated("TSC_ADJUST", 1), .f("SGX", 2), .f("BMI1", 3), .f("HLE", 4),
            .f("AVX2", 5), .f("FDP_EXCPTN_ONLY", 6), .f("SMEP", 7), .f("BMI2", 8), .f("ERMS", 9),
            .f("INVPCID", 10), .f("RTM", 11), .f("ZERO_FCS_FDS", 13), .vendor("MPX", 14), .f("AVX512F", 16),
            .f("AVX512DQ", 17), .f("RDSEED", 18), .f("ADX", 19), .f("SMAP", 20), .f("AVX512IFMA", 21),
            .f("CLFLUSHOPT", 23), .f("CLWB", 24), .vendor("INTEL_PT", 25), .f("AVX512PF", 26),
            .f("AVX512ER", 27), .f("AVX512CD", 28), .f("SHA_NI", 29), .f("AVX512BW", 30), .f("AVX512VL", 31),
        ]),
        KVMCapabilityInit(.cpuid_7_ECX, .initializer, [
            .f("AVX512VBMI", 1), .f("UMIP", 2), .f("PKU", 3), .runtime("OSPKE", 4), .vendor("WAITPKG", 5),
            .f("AVX512_VBMI2", 6), .x86_64("SHSTK", 7), .f("GFNI", 8), .f("VAES", 9), .f("VPCLMULQDQ", 10),
            .f("AVX512_VNNI", 11), .f("AVX512_BITALG", 12), .f("AVX512_VPOPCNTDQ", 14),
            .passthrough("LA57", 16), .f("RDPID", 22), .f("BUS_LOCK_DETECT", 24), .f("CLDEMOTE", 25),
            .f("MOVDIRI", 27), .f("MOVDIR64B", 28), .f("SGX_LC", 30),
        ]),
        KVMCapabilityInit(.cpuid_7_EDX, .initializer, [
            .f("AVX512_4VNNIW", 2), .f("AVX512_4FMAPS", 3), .f("FSRM", 4), .f("AVX512_VP2INTERSECT", 8),
            .f("MD_CLEAR", 10), .f("SERIALIZE", 14), .f("TSXLDTRK", 16), .f("IBT", 20), .f("AMX_BF16", 22),
            .f("AVX512_FP16", 23), .f("AMX_TILE", 24), .f("AMX_INT8", 25), .f("SPEC_CTRL", 26),
            .f("INTEL_STIBP", 27), .f("FLUSH_L1D", 28), .emulated("ARCH_CAPABILITIES", 29),
            .f("SPEC_CTRL_SSBD", 31),
        ]),
        KVMCapabilityInit(.cpuid_7_1_EAX, .initializer, [
            .f("SHA512", 0), .f("SM3", 1), .f("SM4", 2), .f("AVX_VNNI", 4), .f("AVX512_BF16", 5),
            .f("CMPCCXADD", 7), .f("FZRM", 10), .f("FSRS", 11), .f("FSRC", 12), .x86_64("LKGS", 18),
            .f("WRMSRNS", 19), .f("AMX_FP16", 21), .f("AVX_IFMA", 23), .f("LAM", 26),
        ]),
        KVMCapabilityInit(.cpuid_7_1_ECX, .initializer, [
            .scattered("MSR_IMM", 5),
        ]),
        KVMCapabilityInit(.cpuid_7_1_EDX, .initializer, [
            .f("AVX_VNNI_INT8", 4), .f("AVX_NE_CONVERT", 5), .f("AMX_COMPLEX", 8), .f("AVX_VNNI_INT16", 10),
            .f("PREFETCHITI", 14), .f("AVX10", 19),
        ]),
        KVMCapabilityInit(.cpuid_7_2_EDX, .initializer, [
            .f("INTEL_PSFD", 0), .f("IPRED_CTRL", 1), .f("RRSBA_CTRL", 2), .f("DDPD_U", 3), .f("BHI_CTRL", 4),
            .f("MCDT_NO", 5),
        ]),
        KVMCapabilityInit(.cpuid_D_1_EAX, .initializer, [
            .f("XSAVEOPT", 0), .f("XSAVEC", 1), .f("XGETBV1", 2), .f("XSAVES", 3), .x86_64("XFD", 4),
        ]),
        KVMCapabilityInit(.cpuid_12_EAX, .initializer, [
            .scattered("SGX1", 0), .scattered("SGX2", 1), .scattered("SGX_EDECCSSA", 11),
        ]),
        KVMCapabilityInit(.cpuid_24_0_EBX, .initializer, [
            .f("AVX10_128", 16), .f("AVX10_256", 17), .f("AVX10_512", 18),
        ]),
        KVMCapabilityInit(.cpuid_8000_0001_ECX, .initializer, [
            .f("LAHF_LM", 0), .f("CMP_LEGACY", 1), .vendor("SVM", 2), .f("CR8_LEGACY", 4), .f("ABM", 5),
            .f("SSE4A", 6), .f("MISALIGNSSE", 7), .f("3DNOWPREFETCH", 8), .f("OSVW", 9), .f("XOP", 11),
            .f("FMA4", 16), .f("TBM", 21), .f("TOPOEXT", 22), .vendor("PERFCTR_CORE", 23),
        ]),
        KVMCapabilityInit(.cpuid_8000_0001_EDX, .initializer, [
            .aliased("FPU", 0), .aliased("VME", 1), .aliased("DE", 2), .aliased("PSE", 3), .aliased("TSC", 4),
            .aliased("MSR", 5), .aliased("PAE", 6), .aliased("MCE", 7), .aliased("CX8", 8), .aliased("APIC", 9),
            .f("SYSCALL", 11), .aliased("MTRR", 12), .aliased("PGE", 13), .aliased("MCA", 14),
            .aliased("CMOV", 15), .aliased("PAT", 16), .aliased("PSE36", 17), .f("NX", 20), .f("MMXEXT", 22),
            .aliased("MMX", 23), .aliased("FXSR", 24), .f("FXSR_OPT", 25), .x86_64("GBPAGES", 26),
            .f("RDTSCP", 27), .x86_64("LM", 29), .f("3DNOWEXT", 30), .f("3DNOW", 31),
        ]),
        KVMCapabilityInit(.cpuid_8000_0007_EDX, .initializer, [
            .scattered("CONSTANT_TSC", 8),
        ]),
        KVMCapabilityInit(.cpuid_8000_0008_EBX, .initializer, [
            .f("CLZERO", 0), .f("XSAVEERPTR", 2), .f("WBNOINVD", 9), .f("AMD_IBPB", 12), .f("AMD_IBRS", 14),
            .f("AMD_STIBP", 15), .f("AMD_STIBP_ALWAYS_ON", 17), .f("AMD_IBRS_SAME_MODE", 19),
            .f("AMD_SSBD", 24), .f("VIRT_SSBD", 25), .f("AMD_SSB_NO", 26), .f("AMD_PSFD", 28),
            .f("AMD_IBPB_RET", 30),
        ]),
        KVMCapabilityInit(.cpuid_8000_000A_EDX, .initializer, [
            .vendor("NPT", 0), .vendor("LBRV", 1), .vendor("NRIPS", 3), .vendor("TSCRATEMSR", 4),
            .vendor("VMCBCLEAN", 5), .vendor("FLUSHBYASID", 6), .vendor("PAUSEFILTER", 10),
            .vendor("PFTHRESHOLD", 12), .vendor("V_VMSAVE_VMLOAD", 15), .vendor("VGIF", 16), .vendor("VNMI", 25),
            .vendor("SVME_ADDR_CHK", 28),
        ]),
        KVMCapabilityInit(.cpuid_8000_001F_EAX, .initializer, [
            .vendor("SME", 0), .vendor("SEV", 1), .vendor("SEV_ES", 3), .f("SME_COHERENT", 10),
        ]),
        KVMCapabilityInit(.cpuid_8000_0021_EAX, .initializer, [
            .f("NO_NESTED_DATA_BP", 0), .f("WRMSR_XX_BASE_NS", 1), .synthesized("LFENCE_RDTSC", 2),
            .synthesized("VERW_CLEAR", 5), .f("NULL_SEL_CLR_BASE", 6), .f("AUTOIBRS", 8),
            .emulated("NO_SMM_CTL_MSR", 9), .f("PREFETCHI", 20), .synthesized("SBPB", 27),
            .synthesized("IBPB_BRTYPE", 28), .synthesized("SRSO_NO", 29), .f("SRSO_USER_KERNEL_NO", 30),
        ]),
        KVMCapabilityInit(.cpuid_8000_0021_ECX, .initializer, [
            .synthesized("TSA_SQ_NO", 1), .synthesized("TSA_L1_NO", 2),
        ]),
        KVMCapabilityInit(.cpuid_8000_0022_EAX, .initializer, [
            .f("PERFMON_V2", 0),
        ]),
        KVMCapabilityInit(.cpuid_C000_0001_EDX, .initializer, [
            .f("XSTORE", 2), .f("XSTORE_EN", 3), .f("XCRYPT", 6), .f("XCRYPT_EN", 7), .f("ACE2", 8),
            .f("ACE2_EN", 9), .f("PHE", 10), .f("PHE_EN", 11), .f("PMM", 12), .f("PMM_EN", 13),
        ]),
    ]

    /// The kvm_cpu_cap_set()/clear() calls of 6.18's kvm_set_cpu_caps(). Emulated, passthrough and
    /// synthesized features are rows now, so fewer fix-ups remain than in 6.1.
    static let commonAdjustments6_18: [KVMCapabilityAdjustment] = [
        .init(.clear, "PKU", .cpuid_7_ECX, bit: 3, when: .module(.tdpDisabled), in: "kvm_set_cpu_caps",
              why: "PKU is not implemented for shadow paging"),
        .init(.clear, "PKU", .cpuid_7_ECX, bit: 3, when: .hostKernelLacks("OSPKE"), in: "kvm_set_cpu_caps",
              why: "PKU needs OSPKE set on the host"),
        .init(.clear, "SHSTK", .cpuid_7_ECX, bit: 7, when: .module(.tdpDisabled), in: "kvm_set_cpu_caps",
              why: "shadow stacks are not implemented in the shadow MMU"),
        .init(.set, "SPEC_CTRL", .cpuid_7_EDX, bit: 26,
              when: .all([.hostKernelHas("AMD_IBPB_RET"), .hostKernelHas("AMD_IBPB"), .hostKernelHas("AMD_IBRS")]),
              in: "kvm_set_cpu_caps", why: "AMD's IBPB_RET, IBPB and IBRS together stand for SPEC_CTRL"),
        .init(.set, "INTEL_STIBP", .cpuid_7_EDX, bit: 27, when: .hostKernelHas("STIBP"), in: "kvm_set_cpu_caps",
              why: "the host has STIBP"),
        .init(.set, "SPEC_CTRL_SSBD", .cpuid_7_EDX, bit: 31, when: .hostKernelHas("AMD_SSBD"), in: "kvm_set_cpu_caps",
              why: "AMD's SSBD is offered to guests in Intel's bit too"),
        .init(.set, "GBPAGES", .cpuid_8000_0001_EDX, bit: 26, when: .module(.tdpDisabled), in: "kvm_set_cpu_caps",
              why: "shadow paging can emulate 1 GiB pages"),
        .init(.set, "AMD_IBPB", .cpuid_8000_0008_EBX, bit: 12, when: .hostKernelHas("IBPB"), in: "kvm_set_cpu_caps",
              why: "AMD has a separate bit for each SPEC_CTRL feature"),
        .init(.set, "AMD_IBPB_RET", .cpuid_8000_0008_EBX, bit: 30,
              when: .all([.hostKernelHas("IBPB"), .hostKernelHas("SPEC_CTRL"), .hostLacksBug("EIBRS_PBRSB")]),
              in: "kvm_set_cpu_caps", why: "IBPB also flushes return predictions on this host"),
        .init(.set, "AMD_IBRS", .cpuid_8000_0008_EBX, bit: 14, when: .hostKernelHas("IBRS"), in: "kvm_set_cpu_caps",
              why: "AMD has a separate bit for each SPEC_CTRL feature"),
        .init(.set, "AMD_STIBP", .cpuid_8000_0008_EBX, bit: 15, when: .hostKernelHas("STIBP"), in: "kvm_set_cpu_caps",
              why: "AMD has a separate bit for each SPEC_CTRL feature"),
        .init(.set, "AMD_SSBD", .cpuid_8000_0008_EBX, bit: 24, when: .hostKernelHas("SPEC_CTRL_SSBD"),
              in: "kvm_set_cpu_caps", why: "AMD has a separate bit for each SPEC_CTRL feature"),
        .init(.set, "AMD_SSB_NO", .cpuid_8000_0008_EBX, bit: 26, when: .hostLacksBug("SPEC_STORE_BYPASS"),
              in: "kvm_set_cpu_caps", why: "the host is not affected by speculative store bypass"),
        .init(.set, "VIRT_SSBD", .cpuid_8000_0008_EBX, bit: 25,
              when: .all([.hostKernelHas("LS_CFG_SSBD"), .hostKernelLacks("AMD_SSBD")]), in: "kvm_set_cpu_caps",
              why: "VIRT_SPEC_CTRL is offered only where the SPEC_CTRL MSR cannot do SSBD"),
        .init(.set, "NULL_SEL_CLR_BASE", .cpuid_8000_0021_EAX, bit: 6, when: .hostLacksBug("NULL_SEG"),
              in: "kvm_set_cpu_caps", why: "loading a null selector clears the base on this host"),
    ]
}
