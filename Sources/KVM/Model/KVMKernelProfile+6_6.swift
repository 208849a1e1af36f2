import X86Features

extension KVMKernelProfile {
    /// Linux 6.6: 6.2 plus the kernel word CPUID_8000_0021_EAX, the KVM-only words CPUID_8000_0007_EDX and
    /// CPUID_8000_0022_EAX (PerfMonV2), FLUSH_L1D, FZRM/FSRS/FSRC, AMX_COMPLEX; leaf 0x80000005 passed through.
    /// Read from arch/x86/kvm/cpuid.c, reverse_cpuid.h and svm/svm.c of v6.6.
    public static let v6_6 = v6_2.applying([
        .release(KernelVersion(6, 6), source: "Linux v6.6 (lxdklp/linux-6.6.y 5fda8f9c): arch/x86/kvm/cpuid.c "
            + "blob 773132c3bf, reverse_cpuid.h b816506783, vmx/vmx.c 72e3943f36, svm/svm.c beea99c8e8, "
            + "asm/sgx.h 6a00697615"),
        .addRows(.cpuid_7_EDX, [.f("FLUSH_L1D")]),
        .addRows(.cpuid_7_1_EAX, [.f("FZRM"), .f("FSRS"), .f("FSRC")]),
        .addRows(.cpuid_7_1_EDX, [.f("AMX_COMPLEX", 8)]),
        .setWord(KVMCapabilityInit(.cpuid_8000_0007_EDX, .kvmDefined, [.scattered("CONSTANT_TSC", 8)]),
                 after: .cpuid_8000_0001_EDX),
        .setWord(KVMCapabilityInit(.cpuid_8000_0021_EAX, .mask, [
            .f("NO_NESTED_DATA_BP"), .f("LFENCE_RDTSC"), .f("NULL_SEL_CLR_BASE"), .f("AUTOIBRS"),
        ]), after: .cpuid_8000_001F_EAX),
        .setWord(KVMCapabilityInit(.cpuid_8000_0022_EAX, .kvmDefined, [.f("PERFMON_V2", 0)]),
                 after: .cpuid_8000_0021_EAX),
        .addAdjustments(extendedFeatures2Adjustments6_6),
        .maxExtendedLeaf(0x8000_0022),
        .removeVendorAdjustments(.kvmAMD, ["PERFCTR_CORE"]),
        .addVendorAdjustments(.kvmAMD, svmPMU6_6),
        .leaves {
            $0.passesThroughL1CacheLeaf = true
            $0.extendedFeatures2 = .capabilityWords
            $0.perfMonV2Leaf = .copiesHostEBX
            $0.dropsTileConfigWithTileData = true
        },
    ])

    /// kvm_set_cpu_caps() of 6.6 after CPUID_8000_0021_EAX: SRSO_NO from the host kernel, serializing LFENCE
    /// synthesized, NullSelectorClearsBase without the bug, and "no SMM_CTL MSR" always.
    static let extendedFeatures2Adjustments6_6: [KVMCapabilityAdjustment] = [
        .init(.set, "SRSO_NO", .cpuid_8000_0021_EAX, bit: 29, when: .hostKernelHas("SRSO_NO"), in: "kvm_set_cpu_caps",
              why: "the host kernel knows the CPU is not affected by SRSO"),
        .init(.set, "LFENCE_RDTSC", .cpuid_8000_0021_EAX, bit: 2, when: .hostKernelHas("LFENCE_RDTSC"),
              in: "kvm_set_cpu_caps", why: "serializing LFENCE is reported in AMD's bit whatever raw CPUID says"),
        .init(.set, "NULL_SEL_CLR_BASE", .cpuid_8000_0021_EAX, bit: 6, when: .hostLacksBug("NULL_SEG"),
              in: "kvm_set_cpu_caps", why: "loading a null selector clears the base on this host"),
        .init(.set, "NO_SMM_CTL_MSR", .cpuid_8000_0021_EAX, bit: 9, in: "kvm_set_cpu_caps",
              why: "KVM does not support the SMM_CTL MSR"),
    ]

    /// Linux 6.12: 6.6 plus the KVM-only words CPUID_7_2_EDX and CPUID_24_0_EBX (AVX10, leaf 0x24, leaf 7 up
    /// to subleaf 2), LAM, AVX10, WRMSR_XX_BASE_NS; SBPB/IBPB_BRTYPE/SRSO_NO checked against the host;
    /// SEV left to sev_set_cpu_caps(); kvm_intel clears EDECCSSA with SGX off; kvm_amd sets FLUSHBYASID
    /// and clears bus-lock detection; 0x80000008 reports GuestPhysAddrSize separately.
    public static let v6_12 = v6_6.applying([
        .release(KernelVersion(6, 12), source: "Linux v6.12 (shilei-massclouds/linux-6.12 2974a9e7): "
            + "arch/x86/kvm/cpuid.c blob 41786b834b, reverse_cpuid.h 0d17d6b706, vmx/vmx.c d28618e927, "
            + "svm/svm.c 9df3e1e5ae, asm/sgx.h 6a00697615"),
        .addRows(.cpuid_7_1_EAX, [.f("LAM")]),
        .addRows(.cpuid_7_1_EDX, [.f("AVX10", 19)]),
        .setWord(KVMCapabilityInit(.cpuid_7_2_EDX, .kvmDefined, [
            .f("INTEL_PSFD", 0), .f("IPRED_CTRL", 1), .f("RRSBA_CTRL", 2), .f("DDPD_U", 3), .f("BHI_CTRL", 4),
            .f("MCDT_NO", 5),
        ]), after: .cpuid_7_1_EDX),
        .setWord(KVMCapabilityInit(.cpuid_24_0_EBX, .kvmDefined, [
            .f("AVX10_128", 16), .f("AVX10_256", 17), .f("AVX10_512", 18),
        ]), after: .cpuid_12_EAX),
        .removeRows(.cpuid_8000_001F_EAX, ["SEV", "SEV_ES"]),
        .addRows(.cpuid_8000_0021_EAX, [.f("WRMSR_XX_BASE_NS")]),
        .removeAdjustments(["SRSO_NO"]),
        .addAdjustments([
            .init(.checkAndSet, "SBPB", .cpuid_8000_0021_EAX, bit: 27, in: "kvm_set_cpu_caps",
                  why: "offered when the host kernel has it"),
            .init(.checkAndSet, "IBPB_BRTYPE", .cpuid_8000_0021_EAX, bit: 28, in: "kvm_set_cpu_caps",
                  why: "offered when the host kernel has it"),
            .init(.checkAndSet, "SRSO_NO", .cpuid_8000_0021_EAX, bit: 29, in: "kvm_set_cpu_caps",
                  why: "offered when the host kernel has it"),
        ]),
        .maxBasicLeaf(0x24),
        .maxLeaf7Subleaf(2),
        .indexedLeaves([0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1D, 0x1E, 0x1F, 0x24, 0x8000_001D]),
        .addVendorAdjustments(.kvmIntel, [vmxClearsEDECCSSA]),
        .addVendorAdjustments(.kvmAMD, svmAdditions6_12),
        .leaves { $0.reportsGuestPhysAddrSize = true },
    ])
}
