/// QEMU's XSAVE state components (target/i386/cpu.c `x86_ext_save_areas`, QEMU 7.2) and the feature that
/// enables each. x86_cpu_enable_xsave_components sets XCR0 bits (feature word 0xD.0 EAX/EDX, unnamed) from
/// them, so a model with AVX-512 asks KVM for opmask/ZMM state too — and QEMU warns `CPUID.0DH:EAX [bit 5]`.
public enum QEMUXSaveComponents {
    /// component number → the QEMU feature that needs it.
    public static let table: [(component: Int, feature: String)] = [
        (0, "fpu"),
        (1, "sse"),
        (2, "avx"),
        (3, "mpx"),
        (4, "mpx"),
        (5, "avx512f"),
        (6, "avx512f"),
        (7, "avx512f"),
        (9, "pku"),
        (17, "amx-tile"),
        (18, "amx-tile"),
    ]

    /// `bits` with the XCR0 component bits their features need (none without xsave).
    public static func withComponents(_ bits: Set<QEMUFeatureBit>) -> Set<QEMUFeatureBit> {
        guard let low = QEMUFeatureWords.word(at: .cpuid(leaf: 0xD, subleaf: 0, register: .eax)),
              let high = QEMUFeatureWords.word(at: .cpuid(leaf: 0xD, subleaf: 0, register: .edx)) else { return bits }
        var result = bits.filter { $0.word != low && $0.word != high }
        guard let xsave = QEMUFeatureWords.bit(named: "xsave"), bits.contains(xsave) else { return result }
        for (component, feature) in table {
            guard let bit = QEMUFeatureWords.bit(named: feature), bits.contains(bit) else { continue }
            result.insert(component < 32 ? QEMUFeatureBit(word: low, bit: component) : QEMUFeatureBit(word: high, bit: component - 32))
        }
        return result
    }

    /// The name QEMU's lists give a bit: its own, or for an XSAVE component the feature that needs it.
    public static func featureName(of bit: QEMUFeatureBit) -> String? {
        if !bit.name.isEmpty { return bit.name }
        guard case let .cpuid(0xD, 0, register) = bit.featureWord.location else { return nil }
        let component = register == .edx ? bit.bit + 32 : bit.bit
        return table.first { $0.component == component }?.feature
    }
}
