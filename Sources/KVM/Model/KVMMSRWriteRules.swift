import CPUID
import X86Features

/// KVM_SET_MSRS refused one MSR: which, the value, and the kernel rule that refuses it.
public struct KVMMSRRefusal: Hashable, Sendable, Error, CustomStringConvertible {
    public var msr: UInt32
    public var value: UInt64
    public var rule: String

    public var description: String {
        "KVM_SET_MSRS would refuse \(FeatureMSRNames.name(of: msr)) (0x\(String(msr, radix: 16))) = \(Hex.quad(value)): \(rule)"
    }
}

/// What a guest's RDMSR of a feature MSR gives: the value userspace set, or #GP(0) and why.
public enum KVMGuestMSRRead: Hashable, Sendable {
    case value
    case faults(rule: String)
}

/// The rules KVM's kvm_set_msr_common()/kvm_get_msr_common() apply to userspace writes and guest reads of the
/// feature MSRs (arch/x86/kvm/x86.c per release), so vcpuid refuses or explains before asking KVM.
public enum KVMMSRWriteRules {
    /// Linux 6.13 made userspace writes of ARCH_CAPABILITIES and PERF_CAPABILITIES depend on the guest CPUID
    /// bit (KVM_MSR_RET_UNSUPPORTED; a write of 0 to an advertised MSR still passes).
    static let cpuidGatedWrites = KernelVersion(6, 13)
    /// Linux 6.6 refuses a changed value for an immutable feature MSR once the vCPU has run (do_set_msr).
    static let immutableAfterRun = KernelVersion(6, 6)

    /// The refusal KVM_SET_MSRS of `value` to `msr` meets on `kernel`/`module`, or nil when KVM accepts it.
    /// `guestCPUID` is the table userspace gave (the module's edits are applied here); `supported` is KVM's
    /// feature-MSR value (KVM_GET_MSRS on /dev/kvm) where the rule checks a subset; `advertised` the feature
    /// index list; `current` the vCPU's value when it has already run.
    public static func refusal(msr: UInt32, value: UInt64, guestCPUID: Snapshot, kernel: KernelVersion,
                               module: KVMModuleOptions.Module, supported: UInt64? = nil,
                               advertised: Set<UInt32>? = nil, current: UInt64? = nil) -> KVMMSRRefusal? {
        let edits = KVMTableEdit.edits(for: module)
        let taken = edits.reduce(guestCPUID) { $1.applied(to: $0) }
        func refuse(_ rule: String) -> KVMMSRRefusal { KVMMSRRefusal(msr: msr, value: value, rule: rule) }
        let release = kernel.release

        if let current, release >= immutableAfterRun, msr != FeatureMSRBits.microcodeRevision, value != current {
            return refuse("Linux \(release) kvm/x86.c do_set_msr: a feature MSR cannot change after the vCPU has run (was \(Hex.quad(current)))")
        }
        if let advertised, !advertised.contains(msr), value != 0 {
            return refuse("\(module.rawValue) does not list 0x\(String(msr, radix: 16)) in KVM_GET_MSR_FEATURE_INDEX_LIST, so the write is unsupported")
        }
        switch msr {
        case FeatureMSRBits.archCapabilities:
            return gatedByCPUID(value: value, bit: CPUIDField(0x7, 0, .edx, bit: 29), bitName: "ARCH_CAPABILITIES",
                                given: guestCPUID, taken: taken, edits: edits, release: release).map(refuse)
        case FeatureMSRBits.perfCapabilities:
            if let gate = gatedByCPUID(value: value, bit: CPUIDField(0x1, 0, .ecx, bit: 15), bitName: "PDCM",
                                       given: guestCPUID, taken: taken, edits: edits, release: release) {
                return refuse(gate)
            }
            if let supported, value & ~supported != 0 {
                return refuse("kvm/x86.c: PERF_CAPABILITIES must be a subset of KVM's supported value \(Hex.quad(supported)); extra bits \(bitList(msr, value & ~supported))")
            }
            return nil
        case 0xC001_1029:
            if let supported, value & ~supported != 0 {
                return refuse("kvm/svm/svm.c: DE_CFG must be a subset of KVM's supported value \(Hex.quad(supported))")
            }
            return nil
        default:
            return nil
        }
    }

    /// What the guest's RDMSR of `msr` gives under `kernel`, given the table it runs with.
    public static func guestRead(msr: UInt32, guestCPUID: Snapshot, module: KVMModuleOptions.Module) -> KVMGuestMSRRead {
        let taken = KVMTableEdit.edits(for: module).reduce(guestCPUID) { $1.applied(to: $0) }
        switch msr {
        case FeatureMSRBits.archCapabilities where !taken.isSet(CPUIDField(0x7, 0, .edx, bit: 29)):
            return .faults(rule: "kvm/x86.c: a guest reads IA32_ARCH_CAPABILITIES only when its CPUID has ARCH_CAPABILITIES (7.0:EDX[29])")
        case FeatureMSRBits.perfCapabilities where !taken.isSet(CPUIDField(0x1, 0, .ecx, bit: 15)):
            return .faults(rule: "kvm/x86.c: a guest reads PERF_CAPABILITIES only when its CPUID has PDCM (1:ECX[15])")
        case 0x480...0x492 where !taken.isSet(CPUIDField(0x1, 0, .ecx, bit: 5)):
            return .faults(rule: "kvm/vmx/nested.c: a guest reads the VMX capability MSRs only when its CPUID has VMX (1:ECX[5])")
        case FeatureMSRBits.microcodeRevision, FeatureMSRBits.platformInfo, FeatureMSRBits.archCapabilities,
             FeatureMSRBits.perfCapabilities, 0x480...0x492, 0xC001_1029:
            return .value
        default:
            return .faults(rule: "kvm/x86.c: KVM emulates no guest RDMSR of this index for vcpuid's guest")
        }
    }

    private static func gatedByCPUID(value: UInt64, bit: CPUIDField, bitName: String, given: Snapshot,
                                     taken: Snapshot, edits: [KVMTableEdit], release: KernelVersion) -> String? {
        guard release >= cpuidGatedWrites, value != 0, !taken.isSet(bit) else { return nil }
        var rule = "Linux \(release) kvm/x86.c: userspace may write a non-zero value only when the guest CPUID has \(bitName) (\(bit))"
        if given.isSet(bit), let edit = edits.first(where: { $0.field == bit }) {
            rule += "; the table set it, but \(edit.source)"
        } else {
            rule += ", and the guest table does not"
        }
        return rule
    }

    private static func bitList(_ msr: UInt32, _ bits: UInt64) -> String {
        var names: [String] = []
        for n in 0..<64 where bits & (1 << UInt64(n)) != 0 {
            names.append(FeatureMSRBits.bit(msr, covering: n)?.name ?? "bit \(n)")
        }
        return names.joined(separator: ", ")
    }
}
