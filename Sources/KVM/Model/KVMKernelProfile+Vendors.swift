/// The vendor modules' fix-ups of KVM's capability words: vmx_set_cpu_caps(), svm_set_cpu_caps() and
/// PVM's pvm_set_cpu_caps(). Hardware controls that every CPU of the module's era has (INVPCID, RDTSCP and
/// XSAVES exiting, descriptor-table exiting, the CET controls) are assumed present and have no row.
extension KVMKernelProfile {
    /// vmx_set_cpu_caps(). `clearsEDECCSSA` is the 2024 fix that also clears SGX_EDECCSSA when SGX is off.
    static func vmxAdjustments(clearsEDECCSSA: Bool) -> [KVMCapabilityAdjustment] {
        var rows: [KVMCapabilityAdjustment] = [
            .init(.set, "VMX", .cpuid_1_ECX, bit: 5, when: .module(.nested), in: "vmx_set_cpu_caps",
                  why: "nested VMX is offered when kvm_intel.nested is on"),
            .init(.checkAndSet, "INTEL_PT", .cpuid_7_0_EBX, bit: 25, when: .module(.intelPTHostGuest),
                  in: "vmx_set_cpu_caps", why: "Intel PT is offered only in pt_mode=1 (host-guest)"),
            .init(.clear, "PDCM", .cpuid_1_ECX, bit: 15, when: .module(.pmuDisabled), in: "vmx_set_cpu_caps",
                  why: "PERF_CAPABILITIES is not offered without a virtual PMU"),
            .init(.clear, "SGX", .cpuid_7_0_EBX, bit: 2, when: .module(.sgxDisabled), in: "vmx_set_cpu_caps",
                  why: "SGX virtualization is off"),
            .init(.clear, "SGX_LC", .cpuid_7_ECX, bit: 30, when: .module(.sgxDisabled), in: "vmx_set_cpu_caps",
                  why: "SGX virtualization is off"),
            .init(.clear, "SGX1", .cpuid_12_EAX, bit: 0, when: .module(.sgxDisabled), in: "vmx_set_cpu_caps",
                  why: "SGX virtualization is off"),
            .init(.clear, "SGX2", .cpuid_12_EAX, bit: 1, when: .module(.sgxDisabled), in: "vmx_set_cpu_caps",
                  why: "SGX virtualization is off"),
        ]
        if clearsEDECCSSA { rows.append(vmxClearsEDECCSSA) }
        rows += [
            .init(.set, "UMIP", .cpuid_7_ECX, bit: 2, in: "vmx_set_cpu_caps",
                  why: "UMIP is emulated with descriptor-table exiting"),
            .init(.checkAndSet, "WAITPKG", .cpuid_7_ECX, bit: 5, in: "vmx_set_cpu_caps",
                  why: "offered when the host has WAITPKG and VMX can control it"),
        ]
        return rows
    }

    /// The 2024 fix in vmx_set_cpu_caps() (in 6.12, not in 6.6): SGX off clears EDECCSSA too.
    static let vmxClearsEDECCSSA = KVMCapabilityAdjustment(
        .clear, "SGX_EDECCSSA", .cpuid_12_EAX, bit: 11, when: .module(.sgxDisabled), in: "vmx_set_cpu_caps",
        why: "SGX virtualization is off (the 2024 fix clears EDECCSSA too)")

    /// svm_set_cpu_caps() of 6.1/6.2. The module flags nrips, vls, lbrv, vgif and tsc_scaling default to on
    /// and are turned off by hardware_setup() when the CPU lacks the feature, hence "host kernel has".
    static let svmAdjustments6_1: [KVMCapabilityAdjustment] = svmNested + [
        .init(.set, "VIRT_SSBD", .cpuid_8000_0008_EBX, bit: 25, when: .hostKernelHas("LS_CFG_SSBD"),
              in: "svm_set_cpu_caps", why: "SVM emulates VIRT_SPEC_CTRL"),
        .init(.set, "VIRT_SSBD", .cpuid_8000_0008_EBX, bit: 25, when: .hostKernelHas("AMD_SSBD"),
              in: "svm_set_cpu_caps", why: "SVM emulates VIRT_SPEC_CTRL"),
        .init(.set, "PERFCTR_CORE", .cpuid_8000_0001_ECX, bit: 23,
              when: .all([.module(.pmuEnabled), .hostKernelHas("PERFCTR_CORE")]), in: "svm_set_cpu_caps",
              why: "the core performance counters are virtualized when enable_pmu is on"),
        .init(.clear, "SEV", .cpuid_8000_001F_EAX, bit: 1, in: "sev_set_cpu_caps",
              why: "SEV is offered only with SEV firmware set up (the model assumes none)"),
        .init(.clear, "SEV_ES", .cpuid_8000_001F_EAX, bit: 3, in: "sev_set_cpu_caps",
              why: "SEV-ES is offered only with SEV firmware set up (the model assumes none)"),
    ]

    /// The nested-SVM block of svm_set_cpu_caps().
    static let svmNested: [KVMCapabilityAdjustment] = [
        .init(.set, "SVM", .cpuid_8000_0001_ECX, bit: 2, when: .module(.nested), in: "svm_set_cpu_caps",
              why: "nested SVM is offered when kvm_amd.nested is on"),
        .init(.set, "VMCBCLEAN", .cpuid_8000_000A_EDX, bit: 5, when: .module(.nested), in: "svm_set_cpu_caps",
              why: "nested SVM feature"),
        .init(.set, "NRIPS", .cpuid_8000_000A_EDX, bit: 3, when: .all([.module(.nested), .hostKernelHas("NRIPS")]),
              in: "svm_set_cpu_caps", why: "nested SVM feature (nrips)"),
        .init(.set, "NPT", .cpuid_8000_000A_EDX, bit: 0, when: .all([.module(.nested), .module(.tdpEnabled)]),
              in: "svm_set_cpu_caps", why: "nested SVM feature (npt)"),
        .init(.set, "TSCRATEMSR", .cpuid_8000_000A_EDX, bit: 4,
              when: .all([.module(.nested), .hostKernelHas("TSCRATEMSR")]), in: "svm_set_cpu_caps",
              why: "nested SVM feature (tsc_scaling)"),
        .init(.set, "V_VMSAVE_VMLOAD", .cpuid_8000_000A_EDX, bit: 15,
              when: .all([.module(.nested), .hostKernelHas("V_VMSAVE_VMLOAD")]), in: "svm_set_cpu_caps",
              why: "nested SVM feature (vls)"),
        .init(.set, "LBRV", .cpuid_8000_000A_EDX, bit: 1, when: .all([.module(.nested), .hostKernelHas("LBRV")]),
              in: "svm_set_cpu_caps", why: "nested SVM feature (lbrv)"),
        .init(.set, "PAUSEFILTER", .cpuid_8000_000A_EDX, bit: 10,
              when: .all([.module(.nested), .hostKernelHas("PAUSEFILTER")]), in: "svm_set_cpu_caps",
              why: "nested SVM feature"),
        .init(.set, "PFTHRESHOLD", .cpuid_8000_000A_EDX, bit: 12,
              when: .all([.module(.nested), .hostKernelHas("PFTHRESHOLD")]), in: "svm_set_cpu_caps",
              why: "nested SVM feature"),
        .init(.set, "VGIF", .cpuid_8000_000A_EDX, bit: 16, when: .all([.module(.nested), .hostKernelHas("VGIF")]),
              in: "svm_set_cpu_caps", why: "nested SVM feature (vgif)"),
        .init(.set, "SVME_ADDR_CHK", .cpuid_8000_000A_EDX, bit: 28, when: .module(.nested), in: "svm_set_cpu_caps",
              why: "a nested VM gets #VMEXIT instead of #GP"),
    ]

    /// svm_set_cpu_caps() of 6.6: vNMI joins the nested block; PERFCTR_CORE needs enough counters, and
    /// PerfMonV2 is cleared when the PMU is on but its version is not 2 or PERFCTR_CORE is absent.
    static let svmPMU6_6: [KVMCapabilityAdjustment] = [
        .init(.set, "VNMI", .cpuid_8000_000A_EDX, bit: 25, when: .all([.module(.nested), .hostKernelHas("VNMI")]),
              in: "svm_set_cpu_caps", why: "nested SVM feature (vnmi)"),
        .init(.checkAndSet, "PERFCTR_CORE", .cpuid_8000_0001_ECX, bit: 23, when: .module(.pmuEnabled),
              in: "svm_set_cpu_caps",
              why: "offered when perf gives KVM enough counters for core support (inferred: the host has PERFCTR_CORE)"),
        .init(.clear, "PERFMON_V2", .cpuid_8000_0022_EAX, bit: 0,
              when: .all([.module(.pmuEnabled), .any([.hostKernelLacks("PERFMON_V2"), .hostKernelLacks("PERFCTR_CORE")])]),
              in: "svm_set_cpu_caps",
              why: "the PMU is on, but its version is not 2 (inferred from PERFMON_V2) or PERFCTR_CORE is absent"),
    ]

    /// svm_set_cpu_caps() of 6.12: FLUSHBYASID joins the nested block (KVM flushes on every nested
    /// transition), and bus-lock detection is cleared.
    static let svmAdditions6_12: [KVMCapabilityAdjustment] = [
        .init(.set, "FLUSHBYASID", .cpuid_8000_000A_EDX, bit: 6, when: .module(.nested), in: "svm_set_cpu_caps",
              why: "KVM flushes the TLB on every nested transition, so it honours every L1 flush by ASID"),
        .init(.clear, "BUS_LOCK_DETECT", .cpuid_7_ECX, bit: 24, in: "svm_set_cpu_caps",
              why: "common code sets it, but SVM has no support for it"),
    ]

    /// svm_set_cpu_caps() of 6.18: 6.12's rows plus IBT and MSR_IMM cleared (common code sets them, SVM
    /// does not support them).
    static let svmAdjustments6_18: [KVMCapabilityAdjustment] =
        svmAdjustments6_1.filter { $0.macro != "PERFCTR_CORE" } + svmPMU6_6 + svmAdditions6_12 + [
            .init(.clear, "IBT", .cpuid_7_EDX, bit: 20, in: "svm_set_cpu_caps",
                  why: "SVM does not virtualize indirect branch tracking"),
            .init(.clear, "MSR_IMM", .cpuid_7_1_ECX, bit: 5, in: "svm_set_cpu_caps",
                  why: "common code sets it, but SVM has no support for it"),
        ]

    /// pvm_set_cpu_caps() from virt-pvm/linux arch/x86/kvm/pvm/pvm.c (Ant Group's PVM). PVM runs the guest
    /// at hardware CPL3 on shadow paging, so TDP-dependent features follow the shadow-paging rules.
    static let pvmAdjustments: [KVMCapabilityAdjustment] = [
        .init(.clear, "XSAVES", .cpuid_D_1_EAX, bit: 3, in: "pvm_set_cpu_caps",
              why: "PVM supervisor mode runs at hardware ring 3, so no XSAVES"),
        .init(.clear, "SMAP", .cpuid_7_0_EBX, bit: 20, in: "pvm_set_cpu_caps",
              why: "PVM supervisor mode runs at hardware ring 3; SMAP is not emulated"),
        .init(.clear, "SMEP", .cpuid_7_0_EBX, bit: 7, when: .hostKernelLacks("NX"), in: "pvm_set_cpu_caps",
              why: "SMEP is emulated with NX on the guest's user mappings, so it needs host NX"),
        .init(.set, "SMEP", .cpuid_7_0_EBX, bit: 7, when: .hostKernelHas("NX"), in: "pvm_set_cpu_caps",
              why: "SMEP is emulated with NX on the guest's user mappings"),
        .init(.clear, "LA57", .cpuid_7_ECX, bit: 16, when: .module(.hostFiveLevelPagingOff), in: "pvm_set_cpu_caps",
              why: "PVM implements guest LA57 with the host's 5-level shadow paging"),
        .init(.set, "PCID", .cpuid_1_ECX, bit: 17, in: "pvm_set_cpu_caps",
              why: "guest CR4.PCIDE is virtualized by PVM"),
        .init(.clear, "SPEC_CTRL", .cpuid_7_EDX, bit: 26, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "INTEL_STIBP", .cpuid_7_EDX, bit: 27, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "SPEC_CTRL_SSBD", .cpuid_7_EDX, bit: 31, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "AMD_STIBP", .cpuid_8000_0008_EBX, bit: 15, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "AMD_IBRS", .cpuid_8000_0008_EBX, bit: 14, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "AMD_SSBD", .cpuid_8000_0008_EBX, bit: 24, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "VIRT_SSBD", .cpuid_8000_0008_EBX, bit: 25, in: "pvm_set_cpu_caps",
              why: "PVM does not emulate MSR_IA32_SPEC_CTRL"),
        .init(.clear, "LAM", .cpuid_7_1_EAX, bit: 26, in: "pvm_set_cpu_caps",
              why: "PVM has not implemented LAM"),
        .init(.clear, "BUS_LOCK_DETECT", .cpuid_7_ECX, bit: 24, in: "pvm_set_cpu_caps",
              why: "PVM does not expose DEBUGCTL features"),
        .init(.set, "PKU", .cpuid_7_ECX, bit: 3, when: .hostKernelHas("OSPKE"), in: "pvm_set_cpu_caps",
              why: "the guest runs on the shadow tables at CPL3 with the real PKRU"),
    ]
}
