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
        .addRows(.cpuid_7_1_EAX, [.f("CMPCCXADD", 7), .f("AMX_FP16", 21), .f("AVX_IFMA", 23)]),
        .setWord(KVMCapabilityInit(.cpuid_7_1_EDX, .kvmDefined, [
            .f("AVX_VNNI_INT8", 4), .f("AVX_NE_CONVERT", 5), .f("PREFETCHITI", 14),
        ]), after: .cpuid_7_1_EAX),
        .addRows(.cpuid_12_EAX, [.scattered("SGX_EDECCSSA", 11)]),
        .removeRows(.cpuid_8000_0008_EBX, ["PSFD"]),
        .addRows(.cpuid_8000_0008_EBX, [.f("AMD_PSFD", 28)]),
        .sgxAttributeMask(0x0000_04B6),
        .leaves {
            $0.reportsHostTopology = false
            $0.extendedFeatures2 = .passDown(setsNoSMMCtl: true)
        },
    ])

    /// kvm_set_cpu_caps() of 6.1, word by word in the kernel's order.
    static let capabilityTable6_1: [KVMCapabilityInit] = [
        KVMCapabilityInit(.cpuid_1_ECX, .mask, [
            .f("XMM3", 0), .f("PCLMULQDQ", 1), .f("SSSE3", 9), .f("FMA", 12), .f("CX16", 13),
            .f("PDCM", 15), .f("PCID", 17), .f("XMM4_1", 19), .f("XMM4_2", 20), .f("X2APIC", 21),
            .f("MOVBE", 22), .f("POPCNT", 23), .f("AES", 25), .f("XSAVE", 26), .f("AVX", 28),
            .f("F16C", 29), .f("RDRAND", 30),
        ]),
        KVMCapabilityInit(.cpuid_1_EDX, .mask, [
            .f("FPU", 0), .f("VME", 1), .f("DE", 2), .f("PSE", 3), .f("TSC", 4), .f("MSR", 5),
            .f("PAE", 6), .f("MCE", 7), .f("CX8", 8), .f("APIC", 9), .f("SEP", 11), .f("MTRR", 12),
            .f("PGE", 13), .f("MCA", 14), .f("CMOV", 15), .f("PAT", 16), .f("PSE36", 17),
            .f("CLFLUSH", 19), .f("MMX", 23), .f("FXSR", 24), .f("XMM", 25), .f("XMM2", 26),
            .f("SELFSNOOP", 27),
        ]),
        KVMCapabilityInit(.cpuid_7_0_EBX, .mask, [
            .f("FSGSBASE", 0), .f("SGX", 2), .f("BMI1", 3), .f("HLE", 4), .f("AVX2", 5),
            .f("FDP_EXCPTN_ONLY", 6), .f("SMEP", 7), .f("BMI2", 8), .f("ERMS", 9), .f("INVPCID", 10),
            .f("RTM", 11), .f("ZERO_FCS_FDS", 13), .f("AVX512F", 16), .f("AVX512DQ", 17),
            .f("RDSEED", 18), .f("ADX", 19), .f("SMAP", 20), .f("AVX512IFMA", 21), .f("CLFLUSHOPT", 23),
            .f("CLWB", 24), .f("AVX512PF", 26), .f("AVX512ER", 27), .f("AVX512CD", 28),
            .f("SHA_NI", 29), .f("AVX512BW", 30), .f("AVX512VL", 31),
        ]),
        KVMCapabilityInit(.cpuid_7_ECX, .mask, [
            .f("AVX512VBMI", 1), .f("UMIP", 2), .f("PKU", 3), .f("AVX512_VBMI2", 6), .f("GFNI", 8),
            .f("VAES", 9), .f("VPCLMULQDQ", 10), .f("AVX512_VNNI", 11), .f("AVX512_BITALG", 12),
            .f("AVX512_VPOPCNTDQ", 14), .f("LA57", 16), .f("RDPID", 22), .f("BUS_LOCK_DETECT", 24),
            .f("CLDEMOTE", 25), .f("MOVDIRI", 27), .f("MOVDIR64B", 28), .f("SGX_LC", 30),
        ]),
        KVMCapabilityInit(.cpuid_7_EDX, .mask, [
            .f("AVX512_4VNNIW", 2), .f("AVX512_4FMAPS", 3), .f("FSRM", 4), .f("AVX512_VP2INTERSECT", 8),
            .f("MD_CLEAR", 10), .f("SERIALIZE", 14), .f("TSXLDTRK", 16), .f("AMX_BF16", 22),
            .f("AVX512_FP16", 23), .f("AMX_TILE", 24), .f("AMX_INT8", 25), .f("SPEC_CTRL", 26),
            .f("INTEL_STIBP", 27), .f("ARCH_CAPABILITIES", 29), .f("SPEC_CTRL_SSBD", 31),
        ]),
        KVMCapabilityInit(.cpuid_7_1_EAX, .mask, [.f("AVX_VNNI", 4), .f("AVX512_BF16", 5)]),
        KVMCapabilityInit(.cpuid_D_1_EAX, .mask, [
            .f("XSAVEOPT", 0), .f("XSAVEC", 1), .f("XGETBV1", 2), .f("XSAVES", 3), .x86_64("XFD", 4),
        ]),
        KVMCapabilityInit(.cpuid_12_EAX, .kvmDefined, [.scattered("SGX1", 0), .scattered("SGX2", 1)]),
        KVMCapabilityInit(.cpuid_8000_0001_ECX, .mask, [
            .f("LAHF_LM", 0), .f("CMP_LEGACY", 1), .f("CR8_LEGACY", 4), .f("ABM", 5), .f("SSE4A", 6),
            .f("MISALIGNSSE", 7), .f("3DNOWPREFETCH", 8), .f("OSVW", 9), .f("XOP", 11), .f("FMA4", 16),
            .f("TBM", 21), .f("TOPOEXT", 22),
        ]),
        KVMCapabilityInit(.cpuid_8000_0001_EDX, .mask, [
            .f("FPU", 0), .f("VME", 1), .f("DE", 2), .f("PSE", 3), .f("TSC", 4), .f("MSR", 5),
            .f("PAE", 6), .f("MCE", 7), .f("CX8", 8), .f("APIC", 9), .f("SYSCALL", 11), .f("MTRR", 12),
            .f("PGE", 13), .f("MCA", 14), .f("CMOV", 15), .f("PAT", 16), .f("PSE36", 17), .f("NX", 20),
            .f("MMXEXT", 22), .f("MMX", 23), .f("FXSR", 24), .f("FXSR_OPT", 25), .x86_64("GBPAGES", 26),
            .f("RDTSCP", 27), .x86_64("LM", 29), .f("3DNOWEXT", 30), .f("3DNOW", 31),
        ]),
        KVMCapabilityInit(.cpuid_8000_0008_EBX, .mask, [
            .f("CLZERO", 0), .f("XSAVEERPTR", 2), .f("WBNOINVD", 9), .f("AMD_IBPB", 12), .f("AMD_IBRS", 14),
            .f("AMD_STIBP", 15), .f("AMD_STIBP_ALWAYS_ON", 17), .f("AMD_SSBD", 24), .f("VIRT_SSBD", 25),
            .f("AMD_SSB_NO", 26), .f("PSFD", 28),
        ]),
        KVMCapabilityInit(.cpuid_8000_000A_EDX, .mask, []),
        KVMCapabilityInit(.cpuid_8000_001F_EAX, .mask, [
            .f("SEV", 1), .f("SEV_ES", 3), .f("SME_COHERENT", 10),
        ]),
        KVMCapabilityInit(.cpuid_C000_0001_EDX, .mask, [
            .f("XSTORE", 2), .f("XSTORE_EN", 3), .f("XCRYPT", 6), .f("XCRYPT_EN", 7), .f("ACE2", 8),
            .f("ACE2_EN", 9), .f("PHE", 10), .f("PHE_EN", 11), .f("PMM", 12), .f("PMM_EN", 13),
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
