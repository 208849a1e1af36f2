/// Bug flags vcpuid does not derive, with what the kernel needs to decide them (cpu_set_bug_bits() and
/// the vendor files). A difference on one of these is "set by the kernel from outside CPUID".
enum BugReasons {
    typealias R = SyntheticReason

    static let outside: [String: SyntheticReason] = [
        "F00F":             R(.model, "Intel Pentium family 5 erratum on 32-bit kernels"),
        "FDIV":             R(.runtime, "FPU division test at boot on 32-bit kernels"),
        "COMA":             R(.model, "Cyrix 6x86 erratum on 32-bit kernels"),
        "AMD_TLB_MMATCH":   R(.model, "AMD family 0x10 erratum 383 (amd.c)"),
        "AMD_APIC_C1E":     R(.msr, "AMD erratum 400 confirmed by the interrupt-pending MSR"),
        "11AP":             R(.model, "Intel Pentium local APIC erratum on 32-bit kernels"),
        "FXSAVE_LEAK":      R(.model, "AMD without XSAVEERPTR (derived by vcpuid)"),
        "CLFLUSH_MONITOR":  R(.model, "Intel family 6 models 29/46/47 (intel.c)"),
        "SYSRET_SS_ATTRS":  R(.hypervisor, "not set under Xen PV"),
        "ESPFIX":           R(.model, "32-bit kernels only"),
        "NULL_SEG":         R(.runtime, "Zen2/Hygon bare metal: a NULL-selector test at boot decides"),
        "SWAPGS_FENCE":     R(.model, "32-bit kernels only"),
        "MONITOR":          R(.model, "Intel Atom models that need an IPI to leave MWAIT (intel.c)"),
        "AMD_E400":         R(.model, "AMD family 0xF/0x10 models affected by erratum 400 (amd.c)"),
        "CPU_MELTDOWN":     R(.msr, "Intel outside the NO_MELTDOWN list unless IA32_ARCH_CAPABILITIES.RDCL_NO"),
        "L1TF":             R(.msr, "Intel outside NO_L1TF unless IA32_ARCH_CAPABILITIES.RDCL_NO"),
        "MDS":              R(.msr, "Intel outside NO_MDS unless IA32_ARCH_CAPABILITIES.MDS_NO"),
        "MSBDS_ONLY":       R(.model, "Intel Silvermont/Airmont/Xeon Phi models"),
        "TAA":              R(.msr, "RTM or TSX_CTRL without IA32_ARCH_CAPABILITIES.TAA_NO"),
        "ITLB_MULTIHIT":    R(.msr, "Intel outside NO_ITLB_MULTIHIT unless IA32_ARCH_CAPABILITIES.PSCHANGE_MC_NO"),
        "SRBDS":            R(.model, "Intel model/stepping table (RDRAND/RDSEED parts)"),
        "MMIO_STALE_DATA":  R(.msr, "Intel model table unless IA32_ARCH_CAPABILITIES reports immunity"),
        "MMIO_UNKNOWN":     R(.msr, "Intel parts too old for the MMIO table (removed in later kernels)"),
        "RETBLEED":         R(.msr, "Intel model table or IA32_ARCH_CAPABILITIES.RSBA (derived for AMD/Hygon)"),
        "EIBRS_PBRSB":      R(.msr, "Enhanced IBRS (IA32_ARCH_CAPABILITIES.IBRS_ALL) without PBRSB_NO"),
        "SMT_RSB":          R(.model, "AMD family 0x17, Hygon 0x18 (derived by vcpuid)"),
        "GDS":              R(.msr, "Intel model table with AVX, unless IA32_ARCH_CAPABILITIES.GDS_NO"),
        "TDX_PW_MCE":       R(.model, "Intel TDX hosts with the partial-write erratum"),
        "SRSO":             R(.model, "AMD family 0x17/0x19/0x1A (derived by vcpuid); Zen1/2 without SMT get SRSO_NO"),
        "DIV0":             R(.model, "AMD Zen1 (amd.c)"),
        "RFDS":             R(.msr, "Intel Atom models unless IA32_ARCH_CAPABILITIES.RFDS_NO"),
        "BHI":              R(.msr, "outside NO_BHI with Enhanced IBRS (IA32_ARCH_CAPABILITIES) or a hypervisor"),
        "IBPB_NO_RET":      R(.cpuid, "AMD_IBPB without AMD_IBPB_RET (derived by vcpuid)"),
        "SPECTRE_V2_USER":  R(.model, "with SPECTRE_V2 (derived by vcpuid)"),
        "OLD_MICROCODE":    R(.msr, "the running microcode revision is older than the kernel's table"),
        "ITS":              R(.msr, "Intel model table unless IA32_ARCH_CAPABILITIES.ITS_NO"),
        "ITS_NATIVE_ONLY":  R(.model, "Intel model table"),
        "TSA":              R(.model, "AMD family 0x19 or Zen guests without TSA_*_NO (derived by vcpuid)"),
        "VMSCAPE":          R(.model, "Intel model table (derived for AMD/Hygon)"),
        "SPEC_STORE_BYPASS": R(.msr, "with IA32_ARCH_CAPABILITIES present, its SSB_NO bit decides"),
    ]

    /// Bugs whose rule vcpuid runs for every vendor; a difference on them is unexplained.
    static let derivedForAllVendors: Set<String> = ["SPECTRE_V1", "SPECTRE_V2", "SPECTRE_V2_USER", "IBPB_NO_RET"]
}
