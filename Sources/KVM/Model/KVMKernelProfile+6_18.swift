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
            .f("XMM3"), .f("PCLMULQDQ"), .vendor("DTES64"), .runtime("MWAIT"), .vendor("VMX"),
            .f("SSSE3"), .f("FMA"), .f("CX16"), .f("PDCM"), .f("PCID"), .f("XMM4_1"),
            .f("XMM4_2"), .emulated("X2APIC"), .f("MOVBE"), .f("POPCNT"),
            .emulated("TSC_DEADLINE_TIMER"), .f("AES"), .f("XSAVE"), .runtime("OSXSAVE"),
            .f("AVX"), .f("F16C"), .f("RDRAND"), .emulated("HYPERVISOR"),
        ]),
        KVMCapabilityInit(.cpuid_1_EDX, .initializer, [
            .f("FPU"), .f("VME"), .f("DE"), .f("PSE"), .f("TSC"), .f("MSR"), .f("PAE"),
            .f("MCE"), .f("CX8"), .f("APIC"), .f("SEP"), .f("MTRR"), .f("PGE"),
            .f("MCA"), .f("CMOV"), .f("PAT"), .f("PSE36"), .f("CLFLUSH"), .vendor("DS"),
            .f("MMX"), .f("FXSR"), .f("XMM"), .f("XMM2"), .f("SELFSNOOP"),
        ]),
        KVMCapabilityInit(.cpuid_7_0_EBX, .initializer, [
            .f("FSGSBASE"), .emulated("TSC_ADJUST"), .f("SGX"), .f("BMI1"), .f("HLE"),
            .f("AVX2"), .f("FDP_EXCPTN_ONLY"), .f("SMEP"), .f("BMI2"), .f("ERMS"),
            .f("INVPCID"), .f("RTM"), .f("ZERO_FCS_FDS"), .vendor("MPX"), .f("AVX512F"),
            .f("AVX512DQ"), .f("RDSEED"), .f("ADX"), .f("SMAP"), .f("AVX512IFMA"),
            .f("CLFLUSHOPT"), .f("CLWB"), .vendor("INTEL_PT"), .f("AVX512PF"),
            .f("AVX512ER"), .f("AVX512CD"), .f("SHA_NI"), .f("AVX512BW"), .f("AVX512VL"),
        ]),
        KVMCapabilityInit(.cpuid_7_ECX, .initializer, [
            .f("AVX512VBMI"), .f("UMIP"), .f("PKU"), .runtime("OSPKE"), .vendor("WAITPKG"),
            .f("AVX512_VBMI2"), .x86_64("SHSTK"), .f("GFNI"), .f("VAES"), .f("VPCLMULQDQ"),
            .f("AVX512_VNNI"), .f("AVX512_BITALG"), .f("AVX512_VPOPCNTDQ"),
            .passthrough("LA57"), .f("RDPID"), .f("BUS_LOCK_DETECT"), .f("CLDEMOTE"),
            .f("MOVDIRI"), .f("MOVDIR64B"), .f("SGX_LC"),
        ]),
        KVMCapabilityInit(.cpuid_7_EDX, .initializer, [
            .f("AVX512_4VNNIW"), .f("AVX512_4FMAPS"), .f("FSRM"), .f("AVX512_VP2INTERSECT"),
            .f("MD_CLEAR"), .f("SERIALIZE"), .f("TSXLDTRK"), .f("IBT"), .f("AMX_BF16"),
            .f("AVX512_FP16"), .f("AMX_TILE"), .f("AMX_INT8"), .f("SPEC_CTRL"),
            .f("INTEL_STIBP"), .f("FLUSH_L1D"), .emulated("ARCH_CAPABILITIES"),
            .f("SPEC_CTRL_SSBD"),
        ]),
        KVMCapabilityInit(.cpuid_7_1_EAX, .initializer, [
            .f("SHA512"), .f("SM3"), .f("SM4"), .f("AVX_VNNI"), .f("AVX512_BF16"),
            .f("CMPCCXADD"), .f("FZRM"), .f("FSRS"), .f("FSRC"), .x86_64("LKGS"),
            .f("WRMSRNS"), .f("AMX_FP16"), .f("AVX_IFMA"), .f("LAM"),
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
            .f("XSAVEOPT"), .f("XSAVEC"), .f("XGETBV1"), .f("XSAVES"), .x86_64("XFD"),
        ]),
        KVMCapabilityInit(.cpuid_12_EAX, .initializer, [
            .scattered("SGX1", 0), .scattered("SGX2", 1), .scattered("SGX_EDECCSSA", 11),
        ]),
        KVMCapabilityInit(.cpuid_24_0_EBX, .initializer, [
            .f("AVX10_128", 16), .f("AVX10_256", 17), .f("AVX10_512", 18),
        ]),
        KVMCapabilityInit(.cpuid_8000_0001_ECX, .initializer, [
            .f("LAHF_LM"), .f("CMP_LEGACY"), .vendor("SVM"), .f("CR8_LEGACY"), .f("ABM"),
            .f("SSE4A"), .f("MISALIGNSSE"), .f("3DNOWPREFETCH"), .f("OSVW"), .f("XOP"),
            .f("FMA4"), .f("TBM"), .f("TOPOEXT"), .vendor("PERFCTR_CORE"),
        ]),
        KVMCapabilityInit(.cpuid_8000_0001_EDX, .initializer, [
            .aliased("FPU"), .aliased("VME"), .aliased("DE"), .aliased("PSE"), .aliased("TSC"),
            .aliased("MSR"), .aliased("PAE"), .aliased("MCE"), .aliased("CX8"), .aliased("APIC"),
            .f("SYSCALL"), .aliased("MTRR"), .aliased("PGE"), .aliased("MCA"),
            .aliased("CMOV"), .aliased("PAT"), .aliased("PSE36"), .f("NX"), .f("MMXEXT"),
            .aliased("MMX"), .aliased("FXSR"), .f("FXSR_OPT"), .x86_64("GBPAGES"),
            .f("RDTSCP"), .x86_64("LM"), .f("3DNOWEXT"), .f("3DNOW"),
        ]),
        KVMCapabilityInit(.cpuid_8000_0007_EDX, .initializer, [
            .scattered("CONSTANT_TSC", 8),
        ]),
        KVMCapabilityInit(.cpuid_8000_0008_EBX, .initializer, [
            .f("CLZERO"), .f("XSAVEERPTR"), .f("WBNOINVD"), .f("AMD_IBPB"), .f("AMD_IBRS"),
            .f("AMD_STIBP"), .f("AMD_STIBP_ALWAYS_ON"), .f("AMD_IBRS_SAME_MODE"),
            .f("AMD_SSBD"), .f("VIRT_SSBD"), .f("AMD_SSB_NO"), .f("AMD_PSFD"),
            .f("AMD_IBPB_RET"),
        ]),
        KVMCapabilityInit(.cpuid_8000_000A_EDX, .initializer, [
            .vendor("NPT"), .vendor("LBRV"), .vendor("NRIPS"), .vendor("TSCRATEMSR"),
            .vendor("VMCBCLEAN"), .vendor("FLUSHBYASID"), .vendor("PAUSEFILTER"),
            .vendor("PFTHRESHOLD"), .vendor("V_VMSAVE_VMLOAD"), .vendor("VGIF"), .vendor("VNMI"),
            .vendor("SVME_ADDR_CHK"),
        ]),
        KVMCapabilityInit(.cpuid_8000_001F_EAX, .initializer, [
            .vendor("SME", 0), .vendor("SEV", 1), .vendor("SEV_ES", 3), .f("SME_COHERENT", 10),
        ]),
        KVMCapabilityInit(.cpuid_8000_0021_EAX, .initializer, [
            .f("NO_NESTED_DATA_BP"), .f("WRMSR_XX_BASE_NS"), .synthesized("LFENCE_RDTSC"),
            .synthesized("VERW_CLEAR"), .f("NULL_SEL_CLR_BASE"), .f("AUTOIBRS"),
            .emulated("NO_SMM_CTL_MSR"), .f("PREFETCHI"), .synthesized("SBPB"),
            .synthesized("IBPB_BRTYPE"), .synthesized("SRSO_NO"), .f("SRSO_USER_KERNEL_NO"),
        ]),
        KVMCapabilityInit(.cpuid_8000_0021_ECX, .initializer, [
            .synthesized("TSA_SQ_NO", 1), .synthesized("TSA_L1_NO", 2),
        ]),
        KVMCapabilityInit(.cpuid_8000_0022_EAX, .initializer, [
            .f("PERFMON_V2", 0),
        ]),
        KVMCapabilityInit(.cpuid_C000_0001_EDX, .initializer, [
            .f("XSTORE"), .f("XSTORE_EN"), .f("XCRYPT"), .f("XCRYPT_EN"), .f("ACE2"),
            .f("ACE2_EN"), .f("PHE"), .f("PHE_EN"), .f("PMM"), .f("PMM_EN"),
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
