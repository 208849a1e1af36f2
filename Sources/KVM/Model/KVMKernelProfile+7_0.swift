import X86Features

extension KVMKernelProfile {
    /// Linux 6.19: 6.18 plus PASSTHROUGH_F(EFER_LMSLE_MBZ) in CPUID_8000_0008_EBX. The XSS set-up moved to
    /// kvm_setup_xss_caps() with the same rules.
    public static let v6_19 = v6_18.applying([
        .release(KernelVersion(6, 19), source: "Linux v6.19 (matankalina/linux-6.19.10-fork 094d8694): "
            + "arch/x86/kvm/cpuid.c blob 88a5426674, reverse_cpuid.h 81b4a7acf7, vmx/vmx.c 8c94241fbc, "
            + "svm/svm.c 4394be40fe, asm/sgx.h 04958459a7"),
        .addRows(.cpuid_8000_0008_EBX, [.passthrough("EFER_LMSLE_MBZ")]),
    ])

    /// Linux 7.0: 6.19 plus MOVRS (7.1 EAX), ERAPS (0x80000021 EAX, which keeps the RAP size in EBX), the
    /// KVM-only words CPUID_1E_1_EAX (AMX subleaf 0x1E.1) and CPUID_24_1_ECX (AVX10 subleaf 0x24.1), and
    /// AVX10 version 2.
    public static let v7_0 = v6_19.applying([
        .release(KernelVersion(7, 0), source: "Linux v7.0 (julianw1010/WASP-linux-7.0.0 1d9f96d2): "
            + "arch/x86/kvm/cpuid.c blob 8137927e73, reverse_cpuid.h 657f5f743e, vmx/vmx.c 8b24e68253, "
            + "svm/svm.c e6477affac, asm/sgx.h 04958459a7"),
        .addRows(.cpuid_7_1_EAX, [.f("MOVRS")]),
        .setWord(KVMCapabilityInit(.cpuid_1E_1_EAX, .initializer, [
            .f("AMX_INT8_ALIAS", 0), .f("AMX_BF16_ALIAS", 1), .f("AMX_COMPLEX_ALIAS", 2), .f("AMX_FP16_ALIAS", 3),
            .f("AMX_FP8", 4), .f("AMX_TF32", 6), .f("AMX_AVX512", 7), .f("AMX_MOVRS", 8),
        ]), after: .cpuid_12_EAX),
        .setWord(KVMCapabilityInit(.cpuid_24_1_ECX, .initializer, [.f("AVX10_VNNI_INT", 2)]),
                 after: .cpuid_24_0_EBX),
        .addRows(.cpuid_8000_0021_EAX, [.f("ERAPS")]),
        .leaves {
            $0.maxAVX10Version = 2
            $0.keepsRAPSizeWithERAPS = true
        },
    ])
}
