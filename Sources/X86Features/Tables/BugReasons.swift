/// Bug flags vcpuid does not derive, with what the kernel needs to decide them (the vendor files). A difference
/// on one of these is "set by the kernel from outside CPUID". cpu_set_bug_bits()'s bugs are derived (`BugRules`).
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
        "TDX_PW_MCE":       R(.model, "Intel TDX hosts with the partial-write erratum"),
    ]

    /// Bugs whose rule vcpuid runs for every vendor outside `BugRules`; a difference on them is unexplained.
    static let derivedForAllVendors: Set<String> = []
}
