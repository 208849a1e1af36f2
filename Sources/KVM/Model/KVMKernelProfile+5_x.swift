import X86Features

/// The 5.x longterm lines, each written as what it lacks (or has otherwise) against the next modelled
/// release: 5.15 against 6.1, 5.10 against 5.15.
extension KVMKernelProfile {
    /// Linux 5.15: 6.1 without AMX (AMX_TILE/INT8/BF16, XFD), FDP_EXCPTN_ONLY, ZERO_FCS_FDS and PSFD; PERFCTR_CORE
    /// in the CPUID_8000_0001_ECX mask rather than set by kvm_amd; kvm_amd without the nested features 6.1
    /// added (VMCBCLEAN, TSC scaling, VLS, LBRV, pause filter, VGIF); no enable_pmu (PDCM always left to the
    /// mask); leaf 9 passed through, no reserved-bit clean-up in the extended leaves, max extended leaf
    /// 0x8000001F, no leaves 0x1D/0x1E.
    public static let v5_15 = v6_1.applying([
        .release(KernelVersion(5, 15), source: "Linux v5.15 (sndrzt/linux-5.15 75c6ad16): arch/x86/kvm/cpuid.c "
            + "blob 751aa85a30, reverse_cpuid.h a19d473d01, vmx/vmx.c 7d595effb6, svm/svm.c 989685098b, "
            + "asm/sgx.h 05f3e21f01"),
        .removeRows(.cpuid_7_0_EBX, ["FDP_EXCPTN_ONLY", "ZERO_FCS_FDS"]),
        .removeRows(.cpuid_7_EDX, ["AMX_BF16", "AMX_TILE", "AMX_INT8"]),
        .removeRows(.cpuid_D_1_EAX, ["XFD"]),
        .addRows(.cpuid_8000_0001_ECX, [.f("PERFCTR_CORE")]),
        .removeRows(.cpuid_8000_0008_EBX, ["PSFD"]),
        .maxExtendedLeaf(0x8000_001F),
        .indexedLeaves([0x4, 0x7, 0xB, 0xD, 0xF, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1F, 0x8000_001D]),
        .removeVendorAdjustments(.kvmIntel, ["PDCM"]),
        .removeVendorAdjustments(.kvmAMD, ["VMCBCLEAN", "TSCRATEMSR", "V_VMSAVE_VMLOAD", "LBRV", "PAUSEFILTER",
                                           "PFTHRESHOLD", "VGIF", "PERFCTR_CORE"]),
        .leaves {
            $0.passesThroughLeaf9 = true
            $0.clearsReservedExtendedBits = false
            $0.raisesExtendedMaxFor21 = false
            $0.extendedFeatures2 = .unhandled
            $0.clearsXFDFlagWithoutXFD = false
        },
    ])

    /// Linux 5.10: 5.15 without KVM's SGX support (no CPUID_12_EAX word, SGX and SGX_LC not in the masks,
    /// leaf 0x12 left to the default case, no sgx= switch in kvm_intel), without BUS_LOCK_DETECT,
    /// AVX512_FP16, AVX_VNNI and the CPUID_8000_001F_EAX word (leaf 0x8000001F passes through when the host
    /// kernel has SEV); INVPCID set by the vendor modules; kvm_amd without SVME_ADDR_CHK; 0x80000008 ignores TDP.
    public static let v5_10 = v5_15.applying([
        .release(KernelVersion(5, 10), source: "Linux v5.10 (yoyo9747/linux5.10 563cf1f4): arch/x86/kvm/cpuid.c "
            + "blob 83637a2ff6 (no reverse_cpuid.h), vmx/vmx.c 47b8357b97, svm/svm.c da7eb4aaf4 (no asm/sgx.h)"),
        .removeRows(.cpuid_7_0_EBX, ["INVPCID", "SGX"]),
        .removeRows(.cpuid_7_ECX, ["BUS_LOCK_DETECT", "SGX_LC"]),
        .removeRows(.cpuid_7_EDX, ["AVX512_FP16"]),
        .removeRows(.cpuid_7_1_EAX, ["AVX_VNNI"]),
        .removeWord(.cpuid_12_EAX),
        .removeWord(.cpuid_8000_001F_EAX),
        .sgxAttributeMask(0),
        .removeVendorAdjustments(.kvmIntel, ["SGX", "SGX_LC", "SGX1", "SGX2"]),
        .addVendorAdjustments(.kvmIntel, [
            .init(.checkAndSet, "INVPCID", .cpuid_7_0_EBX, bit: 10, in: "vmx_set_cpu_caps",
                  why: "offered when the host has INVPCID and VMX can enable it"),
        ]),
        .removeVendorAdjustments(.kvmAMD, ["SVME_ADDR_CHK", "SEV", "SEV_ES"]),
        .addVendorAdjustments(.kvmAMD, [
            .init(.checkAndSet, "INVPCID", .cpuid_7_0_EBX, bit: 10, in: "svm_set_cpu_caps",
                  why: "offered when the host has INVPCID"),
        ]),
        .leaves {
            $0.handlesSGXLeaf = false
            $0.hasSEVWord = false
            $0.usesHostPhysBitsWithoutTDP = false
        },
    ])
}
