import CPUID
import X86Features

extension KVMKernelProfile {
    /// Linux 6.1: `kvm_cpu_cap_mask()` on a copy of the kernel's words, one KVM-only word (CPUID_12_EAX),
    /// fix-ups with `kvm_cpu_cap_set()`. CPUID_12_EAX knows SGX1 and SGX2 only.
    public static let v6_1 = KVMKernelProfile(
        version: KernelVersion(6, 1),
        source: "Linux v6.1 (Excito/kernel-6.1 c28902ea): arch/x86/kvm/cpuid.c blob 62bc7a01ce, reverse_cpuid.h "
            + "a19d473d01, vmx/vmx.c 63247c57c7, svm/svm.c ce362e88a5, asm/sgx.h eae20fa52b",
        initializers: capabilityTable6_1,
        adjustments: commonAdjustments6_1,
        vendorAdjustments: [
            .kvmIntel: vmxAdjustments(clearsEDECCSSA: false),
            .kvmAMD: svmAdjustments6_1,
            .kvmPVM: pvmAdjustments,
        ],
        maxBasicLeaf: 0x1F,
        maxExtendedLeaf: 0x8000_0021,
        maxLeaf7Subleaf: 1,
        sgxAttributeMask: 0x0000_00B6,
        indexedLeaves: [0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1D, 0x1E, 0x1F, 0x8000_001D],
        leaves: .v6_1
    )

    /// Linux 6.2: 6.1 plus commit 16a7fe3728a8 ("KVM/VMX: Allow exposing EDECCSSA user leaf function to KVM
    /// guest"): SF(SGX_EDECCSSA) joins CPUID_12_EAX and SGX_ATTR_ASYNC_EXIT_NOTIFY (bit 10) the attribute mask;
    /// CMPCCXADD, AMX_FP16, AVX_IFMA join CPUID_7_1_EAX; the KVM-only word CPUID_7_1_EDX arrives and fills 7.1 EDX;
    /// leaves 0xB, 0x1F, 0x8000001E stop returning host topology; 0x80000021 EAX always has bit 9 (no SMM_CTL).
    public static let v6_2 = v6_1.applying([
        .release(KernelVersion(6, 2), source: "Linux v6.2 (GorilaMond/Linux6.2 cc79519a): arch/x86/kvm/cpuid.c "
            + "blob 596061c161, reverse_cpuid.h 042d0aca3c, vmx/vmx.c 7eec0226d5, svm/svm.c 9a194aa1a7, "
            + "asm/sgx.h 6a00697615"),
        .addRows(.cpuid_7_1_EAX, [.f("CMPCCXADD"), .f("AMX_FP16"), .f("AVX_IFMA")]),
        .setWord(KVMCapabilityInit(.cpuid_7_1_EDX, .kvmDefined, [
            .f("AVX_VNNI_INT8", 4), .f("AVX_NE_CONVERT", 5), .f("PREFETCHITI", 14),
        ]), after: .cpuid_7_1_EAX),
        .addRows(.cpuid_12_EAX, [.scattered("SGX_EDECCSSA", 11)]),
        .removeRows(.cpuid_8000_0008_EBX, ["PSFD"]),
        .addRows(.cpuid_8000_0008_EBX, [.f("AMD_PSFD")]),
        .sgxAttributeMask(0x0000_04B6),
        .leaves {
            $0.reportsHostTopology = false
            $0.extendedFeatures2 = .passDown(setsNoSMMCtl: true)
        },
    ])

    /// kvm_set_cpu_caps() of 6.1, word by word in the kernel's order.
    static let capabilityTable6_1: [KVMCapabilityInit] = [
        KVMCapabilityInit(.cpuid_1_ECX, .mask, [
            .f("XMM3"), .f("PCLMULQDQ"), .f("SSSE3"), .f("FMA"), .f("CX16"),
            .f("PDCM"), .f("PCID"), .f("XMM4_1"), .f("XMM4_2"), .f("X2APIC"),
            .f("MOVBE"), .f("POPCNT"), .f("AES"), .f("XSAVE"), .f("AVX"),
            .f("F16C"), .f("RDRAND"),
        ]),
        KVMCapabilityInit(.cpuid_1_EDX, .mask, [
            .f("FPU"), .f("VME"), .f("DE"), .f("PSE"), .f("TSC"), .f("MSR"),
            .f("PAE"), .f("MCE"), .f("CX8"), .f("APIC"), .f("SEP"), .f("MTRR"),
            .f("PGE"), .f("MCA"), .f("CMOV"), .f("PAT"), .f("PSE36"),
            .f("CLFLUSH"), .f("MMX"), .f("FXSR"), .f("XMM"), .f("XMM2"),
            .f("SELFSNOOP"),
        ]),
        KVMCapabilityInit(.cpuid_7_0_EBX, .mask, [
            .f("FSGSBASE"), .f("SGX"), .f("BMI1"), .f("HLE"), .f("AVX2"),
            .f("FDP_EXCPTN_ONLY"), .f("SMEP"), .f("BMI2"), .f("ERMS"), .f("INVPCID"),
            .f("RTM"), .f("ZERO_FCS_FDS"), .f("AVX512F"), .f("AVX512DQ"),
            .f("RDSEED"), .f("ADX"), .f("SMAP"), .f("AVX512IFMA"), .f("CLFLUSHOPT"),
            .f("CLWB"), .f("AVX512PF"), .f("AVX512ER"), .f("AVX512CD"),
            .f("SHA_NI"), .f("AVX512BW"), .f("AVX512VL"),
        ]),
        KVMCapabilityInit(.cpuid_7_ECX, .mask, [
            .f("AVX512VBMI"), .f("UMIP"), .f("PKU"), .f("AVX512_VBMI2"), .f("GFNI"),
            .f("VAES"), .f("VPCLMULQDQ"), .f("AVX512_VNNI"), .f("AVX512_BITALG"),
            .f("AVX512_VPOPCNTDQ"), .f("LA57"), .f("RDPID"), .f("BUS_LOCK_DETECT"),
            .f("CLDEMOTE"), .f("MOVDIRI"), .f("MOVDIR64B"), .f("SGX_LC"),
        ]),
        KVMCapabilityInit(.cpuid_7_EDX, .mask, [
            .f("AVX512_4VNNIW"), .f("AVX512_4FMAPS"), .f("FSRM"), .f("AVX512_VP2INTERSECT"),
            .f("MD_CLEAR"), .f("SERIALIZE"), .f("TSXLDTRK"), .f("AMX_BF16"),
            .f("AVX512_FP16"), .f("AMX_TILE"), .f("AMX_INT8"), .f("SPEC_CTRL"),
            .f("INTEL_STIBP"), .f("ARCH_CAPABILITIES"), .f("SPEC_CTRL_SSBD"),
        ]),
        KVMCapabilityInit(.cpuid_7_1_EAX, .mask, [.f("AVX_VNNI"), .f("AVX512_BF16")]),
        KVMCapabilityInit(.cpuid_D_1_EAX, .mask, [
            .f("XSAVEOPT"), .f("XSAVEC"), .f("XGETBV1"), .f("XSAVES"), .x86_64("XFD"),
        ]),
        KVMCapabilityInit(.cpuid_12_EAX, .kvmDefined, [.scattered("SGX1", 0), .scattered("SGX2", 1)]),
        KVMCapabilityInit(.cpuid_8000_0001_ECX, .mask, [
            .f("LAHF_LM"), .f("CMP_LEGACY"), .f("CR8_LEGACY"), .f("ABM"), .f("SSE4A"),
            .f("MISALIGNSSE"), .f("3DNOWPREFETCH"), .f("OSVW"), .f("XOP"), .f("FMA4"),
            .f("TBM"), .f("TOPOEXT"),
        ]),
        KVMCapabilityInit(.cpuid_8000_0001_EDX, .mask, [
            .f("FPU"), .f("VME"), .f("DE"), .f("PSE"), .f("TSC"), .f("MSR"),
            .f("PAE"), .f("MCE"), .f("CX8"), .f("APIC"), .f("SYSCALL"), .f("MTRR"),
            .f("PGE"), .f("MCA"), .f("CMOV"), .f("PAT"), .f("PSE36"), .f("NX"),
            .f("MMXEXT"), .f("MMX"), .f("FXSR"), .f("FXSR_OPT"), .x86_64("GBPAGES"),
            .f("RDTSCP"), .x86_64("LM"), .f("3DNOWEXT"), .f("3DNOW"),
        ]),
        KVMCapabilityInit(.cpuid_8000_0008_EBX, .mask, [
            .f("CLZERO"), .f("XSAVEERPTR"), .f("WBNOINVD"), .f("AMD_IBPB"), .f("AMD_IBRS"),
            .f("AMD_STIBP"), .f("AMD_STIBP_ALWAYS_ON"), .f("AMD_SSBD"), .f("VIRT_SSBD"),
            .f("AMD_SSB_NO"), .f("PSFD", 28),
        ]),
        KVMCapabilityInit(.cpuid_8000_000A_EDX, .mask, []),
        KVMCapabilityInit(.cpuid_8000_001F_EAX, .mask, [
            .f("SEV", 1), .f("SEV_ES", 3), .f("SME_COHERENT", 10),
        ]),
        KVMCapabilityInit(.cpuid_C000_0001_EDX, .mask, [
            .f("XSTORE"), .f("XSTORE_EN"), .f("XCRYPT"), .f("XCRYPT_EN"), .f("ACE2"),
            .f("ACE2_EN"), .f("PHE"), .f("PHE_EN"), .f("PMM"), .f("PMM_EN"),
        ]),
    ]

    /// The kvm_cpu_cap_set()/clear() calls of 6.1/6.2's kvm_set_cpu_caps().
    static let commonAdjustments6_1: [KVMCapabilityAdjustment] = [
        .init(.set, "X2APIC", .cpuid_1_ECX, bit: 21, in: "kvm_set_cpu_caps",
              why: "KVM emulates x2APIC in software irrespective of host support"),
        .init(.set, "LA57", .cpuid_7_ECX, bit: 16,
              when: .rawHas(CPUIDField(7, 0, .ecx, bit: 16), name: "LA57 (raw CPUID.(EAX=07H,ECX=0):ECX[16])"),
              in: "kvm_set_cpu_caps", why: "LA57 follows the hardware, not the host kernel's paging mode"),
        .init(.clear, "PKU", .cpuid_7_ECX, bit: 3, when: .module(.tdpDisabled), in: "kvm_set_cpu_caps",
              why: "PKU is not implemented for shadow paging"),
        .init(.clear, "PKU", .cpuid_7_ECX, bit: 3, when: .hostKernelLacks("OSPKE"), in: "kvm_set_cpu_caps",
              why: "PKU needs OSPKE set on the host"),
        .init(.set, "TSC_ADJUST", .cpuid_7_0_EBX, bit: 1, in: "kvm_set_cpu_caps",
              why: "TSC_ADJUST is emulated in software"),
        .init(.set, "ARCH_CAPABILITIES", .cpuid_7_EDX, bit: 29, in: "kvm_set_cpu_caps",
              why: "ARCH_CAPABILITIES is emulated in software"),
        .init(.set, "SPEC_CTRL", .cpuid_7_EDX, bit: 26,
              when: .all([.hostKernelHas("IBPB"), .hostKernelHas("IBRS")]), in: "kvm_set_cpu_caps",
              why: "the host has IBPB and IBRS, which SPEC_CTRL stands for"),
        .init(.set, "INTEL_STIBP", .cpuid_7_EDX, bit: 27, when: .hostKernelHas("STIBP"), in: "kvm_set_cpu_caps",
              why: "the host has STIBP"),
        .init(.set, "SPEC_CTRL_SSBD", .cpuid_7_EDX, bit: 31, when: .hostKernelHas("AMD_SSBD"), in: "kvm_set_cpu_caps",
              why: "AMD's SSBD is offered to guests in Intel's bit too"),
        .init(.set, "GBPAGES", .cpuid_8000_0001_EDX, bit: 26, when: .module(.tdpDisabled), in: "kvm_set_cpu_caps",
              why: "shadow paging can emulate 1 GiB pages"),
        .init(.set, "AMD_IBPB", .cpuid_8000_0008_EBX, bit: 12, when: .hostKernelHas("IBPB"), in: "kvm_set_cpu_caps",
              why: "AMD has a separate bit for each SPEC_CTRL feature"),
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
    ]
}
