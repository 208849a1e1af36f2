import X86Features

/// What is known about a release between two modelled KVM profiles: whether its KVM CPUID code differs
/// from the modelled release below it, read from both releases' arch/x86/kvm files.
public struct KVMReleaseComparison: Hashable, Sendable {
    public enum Verdict: Hashable, Sendable {
        /// cpuid.c, reverse_cpuid.h and the vendor modules' *_set_cpu_caps() build the same table.
        case noChange
        /// The differences found, each in one line.
        case differs([String])
    }

    public var release: KernelVersion
    /// The modelled release it was compared with.
    public var base: KernelVersion
    public var verdict: Verdict
    /// The files compared.
    public var source: String

    /// The releases compared so far (the blob table of kernel-sources lists their files).
    public static let known: [KVMReleaseComparison] = [
        KVMReleaseComparison(
            release: KernelVersion(6, 8), base: KernelVersion(6, 6),
            verdict: .differs([
                "LAM in CPUID_7_1_EAX",
                "the KVM-only word CPUID_7_2_EDX and leaf 7 up to subleaf 2",
                "WRMSR_XX_BASE_NS in CPUID_8000_0021_EAX; SBPB, IBPB_BRTYPE, SRSO_NO checked against the host",
                "kvm_amd sets FLUSHBYASID with nested SVM",
            ]),
            source: "sndrzt/linux-6.8 3bc197e7: arch/x86/kvm/cpuid.c blob adba49afb5, svm/svm.c e90b429c84"),
    ]

    /// The comparison recorded for `release`, if any.
    public static func of(_ release: KernelVersion) -> KVMReleaseComparison? {
        known.first { $0.release == release }
    }
}
