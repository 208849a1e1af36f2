import CPUID
import KVM
import X86Features

/// Whether a guest with a given CPUID can start on a host, and whether it can be live-migrated there:
/// every feature the guest has and the host cannot give, each with the reason.
public struct GuestCompatibility: Sendable, Encodable {
    public struct MissingFeature: Hashable, Sendable, Encodable {
        public enum Reason: String, Hashable, Sendable, Encodable {
            /// The host's CPUID does not have the bit.
            case hostLacks = "host lacks it"
            /// The host has it, but the kernel's KVM does not offer it to guests.
            case kvmDoesNotOffer = "KVM does not offer it"
            /// A feature it depends on is missing too (Linux's dependency table).
            case dependency
        }

        public var linux: String
        public var qemu: String?
        public var macro: String
        public var reason: Reason
        /// The KVM model's rule, or the missing feature this one depends on.
        public var detail: String?
    }

    public var canStart: Bool { missing.isEmpty }
    public var canMigrate: Bool { canStart && migrationBlockers.isEmpty }
    public var missing: [MissingFeature]
    /// What stops live migration even when the guest can start (non-migratable bits, a larger XSAVE area).
    public var migrationBlockers: [String]
    /// What the host's side was: raw CPUID or a kernel's KVM.
    public var hostView: String

    /// Bits a KVM guest may carry whatever the host's CPUID or KVM_GET_SUPPORTED_CPUID says: the VMM sets
    /// or KVM emulates them, or they follow the guest's own control registers.
    public static let providedByHypervisor: [CPUIDField] = [
        CPUIDField(0x1, 0, .ecx, bit: 31),  // hypervisor: set by every VMM
        CPUIDField(0x1, 0, .ecx, bit: 21),  // x2apic: emulated by KVM's local APIC
        CPUIDField(0x1, 0, .ecx, bit: 24),  // tsc-deadline: KVM_CAP_TSC_DEADLINE_TIMER, not the supported table
        CPUIDField(0x1, 0, .ecx, bit: 27),  // osxsave: mirrors the guest's CR4.OSXSAVE at run time
    ]

    enum CodingKeys: String, CodingKey { case canStart, canMigrate, missing, migrationBlockers, hostView }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(canStart, forKey: .canStart)
        try container.encode(canMigrate, forKey: .canMigrate)
        try container.encode(missing, forKey: .missing)
        try container.encode(migrationBlockers, forKey: .migrationBlockers)
        try container.encode(hostView, forKey: .hostView)
    }

    /// Judges `guest` against `host`; with `kernel`, against what that kernel's KVM offers on the host.
    public init(guest: Snapshot, host: Snapshot, kernel: KernelProfile?, bits: FeatureBits = .shared) {
        let dependencyKernel = kernel ?? KernelProfile.newest
        var offered: Snapshot = host
        var prediction: SupportedPrediction?
        if let kernel {
            let module = KVMModuleOptions(module: .default(for: host.cpuVendor))
            let p = KVMSupportedModel.predict(host: host, kernel: kernel, module: module)
            prediction = p
            offered = p.snapshot
            hostView = "Linux \(p.kernel.version) KVM (\(module.module.rawValue)) on the host"
        } else {
            hostView = "the host's raw CPUID"
        }
        let offeredWords = FeatureWords(offered)
        let hostWords = FeatureWords(host)
        var missingBits: [FeatureBit] = []
        for bit in bits.all where bit.isSet(in: guest) && !offeredWords.contains(bit.field) {
            if Self.providedByHypervisor.contains(bit.field) { continue }
            missingBits.append(bit)
        }
        let missingMacros = Set(missingBits.map(\.macro))
        missing = missingBits.map { bit in
            let needs = dependencyKernel.dependencyGraph.allDependencies(of: bit.macro).first { missingMacros.contains($0) }
            if let needs {
                return MissingFeature(linux: bit.linuxName, qemu: bit.qemuName, macro: bit.macro, reason: .dependency,
                                      detail: "needs \(needs), which is missing too")
            }
            if hostWords.contains(bit.field), let prediction {
                return MissingFeature(linux: bit.linuxName, qemu: bit.qemuName, macro: bit.macro, reason: .kvmDoesNotOffer,
                                      detail: prediction.rule(for: bit.field)?.description)
            }
            return MissingFeature(linux: bit.linuxName, qemu: bit.qemuName, macro: bit.macro, reason: .hostLacks, detail: nil)
        }
        var blockers: [String] = []
        for field in MigrationHazard.notMigratable where guest.isSet(field) {
            let name = bits.bit(at: field)?.description
                ?? MigrationHazard.bits.first { $0.field == field }.map { "\($0.name) (\(field))" } ?? field.description
            blockers.append("the guest has \(name), which blocks live migration (libvirt marks it not migratable)")
        }
        let guestArea = guest.value(0xD, 0, .ecx)
        let hostArea = offered.value(0xD, 0, .ecx)
        if guestArea > hostArea {
            blockers.append("the guest's XSAVE area (\(guestArea) bytes, CPUID.(EAX=0DH,ECX=0):ECX) is larger than the host's (\(hostArea) bytes)")
        }
        migrationBlockers = blockers
    }
}
