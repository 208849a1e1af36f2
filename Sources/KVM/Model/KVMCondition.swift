import CPUID

/// When a `kvm_cpu_cap_set()` / `kvm_cpu_cap_clear()` in the kernel applies. Evaluated against the
/// host (kernel view and raw CPUID) and the module options, with the reason spelled out.
public indirect enum KVMCondition: Hashable, Sendable, CustomStringConvertible {
    case always
    /// `boot_cpu_has(X86_FEATURE_x)`.
    case hostKernelHas(String)
    /// `!boot_cpu_has(X86_FEATURE_x)`.
    case hostKernelLacks(String)
    /// `boot_cpu_has_bug(X86_BUG_x)`.
    case hostBug(String)
    /// `!boot_cpu_has_bug(X86_BUG_x)`.
    case hostLacksBug(String)
    /// The raw host CPUID bit, read with the CPUID instruction (e.g. `cpuid_ecx(7) & F(LA57)`).
    case rawHas(CPUIDField, name: String)
    case module(KVMModuleSwitch)
    case all([KVMCondition])
    case any([KVMCondition])

    public var description: String {
        switch self {
        case .always: "always"
        case let .hostKernelHas(macro): "the host kernel has \(macro)"
        case let .hostKernelLacks(macro): "the host kernel lacks \(macro)"
        case let .hostBug(bug): "the host kernel sets bug \(bug)"
        case let .hostLacksBug(bug): "the host kernel does not set bug \(bug)"
        case let .rawHas(_, name): "the host CPU has \(name)"
        case let .module(option): option.description
        case let .all(parts): parts.map(\.description).joined(separator: " and ")
        case let .any(parts): parts.map(\.description).joined(separator: " or ")
        }
    }
}

/// Module-level facts a capability fix-up depends on.
public enum KVMModuleSwitch: String, Hashable, Sendable, CustomStringConvertible {
    case sgxDisabled, nested, pmuDisabled, pmuEnabled, tdpDisabled, tdpEnabled
    case intelPTHostGuest, hostFiveLevelPagingOff

    public var description: String {
        switch self {
        case .sgxDisabled: "SGX is off in kvm_intel (sgx=0 or no ENCLS-exiting control)"
        case .nested: "nested virtualization is on"
        case .pmuDisabled: "enable_pmu is off"
        case .pmuEnabled: "enable_pmu is on"
        case .tdpDisabled: "two-dimensional paging is off (shadow paging)"
        case .tdpEnabled: "two-dimensional paging (EPT/NPT) is on"
        case .intelPTHostGuest: "kvm_intel pt_mode is host-guest"
        case .hostFiveLevelPagingOff: "the host kernel does not use 5-level paging"
        }
    }
}

/// A `kvm_cpu_cap_set()`, `kvm_cpu_cap_clear()` or `kvm_cpu_cap_check_and_set()` after the words are initialized,
/// in kvm_set_cpu_caps() or a vendor module's *_set_cpu_caps().
public struct KVMCapabilityAdjustment: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable {
        case set = "kvm_cpu_cap_set"
        case clear = "kvm_cpu_cap_clear"
        /// Sets the bit only if the host kernel has the feature.
        case checkAndSet = "kvm_cpu_cap_check_and_set"
    }

    public var action: Action
    public var macro: String
    public var word: KVMCapabilityWord
    public var bit: Int
    public var condition: KVMCondition
    /// The function that does it, e.g. `vmx_set_cpu_caps`.
    public var source: String
    /// Why, in one line.
    public var why: String

    public init(_ action: Action, _ macro: String, _ word: KVMCapabilityWord, bit: Int,
                when condition: KVMCondition = .always, in source: String, why: String) {
        self.action = action
        self.macro = macro
        self.word = word
        self.bit = bit
        self.condition = condition
        self.source = source
        self.why = why
    }
}
