/// QEMU's `feature_dependencies` (target/i386/cpu.c): a CPUID feature that enables a whole MSR feature word.
/// x86_cpu_expand_features empties the word when the feature is off, before filtering — which is why
/// `-cpu host,-arch-capabilities` writes 0 to IA32_ARCH_CAPABILITIES.
public struct QEMUFeatureDependency: Hashable, Sendable {
    /// The enabling feature (QEMU name).
    public var from: String
    /// The dependent feature word.
    public var to: QEMUFeatureWord.Location

    public func covers(_ bit: QEMUFeatureBit) -> Bool { bit.featureWord.location == to }

    public static let all: [QEMUFeatureDependency] = [
        QEMUFeatureDependency(from: "arch-capabilities", to: .msr(0x10A)),
        QEMUFeatureDependency(from: "core-capability", to: .msr(0xCF)),
        QEMUFeatureDependency(from: "pdcm", to: .msr(0x345)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x48E)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x48B)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x48D)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x48F)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x490)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x485)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x48C)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x480)),
        QEMUFeatureDependency(from: "vmx", to: .msr(0x491)),
        QEMUFeatureDependency(from: "intel-pt", to: .cpuid(leaf: 0x14, subleaf: 0, register: .ecx)),
    ]
}
