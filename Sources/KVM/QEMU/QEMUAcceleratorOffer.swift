import CPUID
import X86Features

/// What QEMU's `x86_cpu_get_supported_feature_word` sees per feature word: KVM's supported CPUID and feature
/// MSRs (live, or vcpuid's model of another host and kernel) with QEMU's own fixups, or TCG's feature set.
public struct QEMUAcceleratorOffer: Sendable {
    public enum Accelerator: String, Sendable, Hashable {
        case kvm, tcg
    }

    public var accelerator: Accelerator
    /// KVM_GET_SUPPORTED_CPUID, with the feature MSRs (KVM_GET_MSR_FEATURE_INDEX_LIST and their values) as MSRs.
    public var supported: Snapshot
    /// TCG's features (the `max` model under TCG), used when `accelerator` is `.tcg`.
    public var tcgFeatures: Set<QEMUFeatureBit>
    /// The kernel and module KVM's MSR write rules are taken from.
    public var kernel: KernelVersion
    public var module: KVMModuleOptions.Module
    /// Where the offer came from, for reports: `live /dev/kvm (kvm_pvm, Linux 6.18.44)`.
    public var origin: String

    public init(kvm supported: Snapshot, kernel: KernelVersion, module: KVMModuleOptions.Module, origin: String) {
        self.accelerator = .kvm
        self.supported = supported
        self.tcgFeatures = []
        self.kernel = kernel
        self.module = module
        self.origin = origin
    }

    public init(tcg features: Set<QEMUFeatureBit>, kernel: KernelVersion, origin: String) {
        self.accelerator = .tcg
        self.supported = Snapshot()
        self.tcgFeatures = features
        self.kernel = kernel
        self.module = .kvmIntel
        self.origin = origin
    }

    /// The feature MSRs KVM lists, by index.
    public var featureMSRs: [UInt32: UInt64] {
        var values: [UInt32: UInt64] = [:]
        for msr in supported.msrs { if case let .value(value) = msr.value { values[msr.index] = value } }
        return values
    }

    /// The supported bits of one feature word, as QEMU 7.2 computes them (target/i386/kvm/kvm.c
    /// kvm_arch_get_supported_cpuid's fixups; kvm_arch_get_supported_msr_feature for MSR words).
    public func supportedBits(word index: Int) -> UInt64 {
        if accelerator == .tcg {
            return tcgFeatures.filter { $0.word == index }.reduce(0) { $0 | (1 << UInt64($1.bit)) }
        }
        let word = QEMUFeatureWords.all[index]
        switch word.location {
        case let .msr(msr):
            return featureMSRs[msr] ?? 0
        case let .cpuid(leaf, subleaf, register):
            var value = supported.value(leaf, subleaf ?? 0, register)
            for fixup in Self.fixups where fixup.leaf == leaf && fixup.subleaf == (subleaf ?? 0) && fixup.register == register {
                value = fixup.apply(value, self)
            }
            return UInt64(value)
        }
    }

    /// One of QEMU's corrections to KVM's table, with the reason QEMU gives for it.
    struct Fixup: Sendable {
        var leaf: UInt32
        var subleaf: UInt32
        var register: Register
        var reason: String
        var apply: @Sendable (UInt32, QEMUAcceleratorOffer) -> UInt32
    }

    /// kvm_arch_get_supported_cpuid's fixups (QEMU 7.2), for an in-kernel irqchip (every machine type QEMU
    /// starts a KVM guest with by default) and a KVM with KVM_CAP_TSC_DEADLINE_TIMER (Linux 3.6 on).
    static let fixups: [Fixup] = [
        Fixup(leaf: 1, subleaf: 0, register: .edx, reason: "KVM before 2.6.30 misreported MTRR, PAT, MCE, MCA") { value, _ in
            value | (1 << 12) | (1 << 16) | (1 << 7) | (1 << 14)
        },
        Fixup(leaf: 1, subleaf: 0, register: .ecx, reason: "QEMU sets hypervisor itself; tsc-deadline with the in-kernel irqchip") { value, _ in
            value | (1 << 31) | (1 << 24)
        },
        Fixup(leaf: 6, subleaf: 0, register: .eax, reason: "ARAT is safe with the emulated APIC") { value, _ in value | (1 << 2) },
        Fixup(leaf: 7, subleaf: 0, register: .edx, reason: "Linux 4.17-4.20 reported ARCH_CAPABILITIES on SVM hosts: kept only when KVM lists MSR 0x10a") { value, offer in
            offer.featureMSRs[0x10A] == nil ? value & ~(1 << 29) : value
        },
        Fixup(leaf: 0x8000_0001, subleaf: 0, register: .ecx, reason: "TOPOEXT needs no KVM support") { value, _ in value | (1 << 22) },
        Fixup(leaf: 0x8000_0001, subleaf: 0, register: .edx, reason: "on Intel, the AMD aliases of 1.EDX bits") { value, offer in
            value | (offer.supported.value(1, 0, .edx) & 0x0183_F3FF)
        },
        Fixup(leaf: 0x4000_0001, subleaf: 0, register: .edx, reason: "kvm-hint-dedicated is QEMU's to give") { value, _ in value | 1 },
    ]

    /// Every named bit this offer supports (what `-cpu host` asks for, before QEMU's migratable filter).
    public func supportedBits() -> Set<QEMUFeatureBit> {
        var bits: Set<QEMUFeatureBit> = []
        for index in QEMUFeatureWords.all.indices {
            let value = supportedBits(word: index)
            for bit in QEMUFeatureWords.all[index].names.keys where value & (1 << UInt64(bit)) != 0 {
                bits.insert(QEMUFeatureBit(word: index, bit: bit))
            }
        }
        return bits
    }
}
