import CPUID
/// The vendor module and the parameters of it that change KVM's supported CPUID.
///
/// Defaults are the modules' own defaults on a machine that has the hardware controls they need.
public struct KVMModuleOptions: Hashable, Sendable, CustomStringConvertible {
    public enum Module: String, Hashable, Sendable, CaseIterable {
        case kvmIntel = "kvm_intel"
        case kvmAMD = "kvm_amd"
        /// The paravirtual PVM module (virt-pvm/linux, Ant Group); modelled from its public pvm_set_cpu_caps().
        case kvmPVM = "kvm_pvm"

        /// The module a host of this vendor loads: kvm_amd on AMD and Hygon, kvm_intel on everyone else.
        public static func `default`(for vendor: CPUVendor) -> Module { vendor.followsAMD ? .kvmAMD : .kvmIntel }
    }

    public var module: Module
    /// kvm_intel's `sgx` parameter.
    public var sgx: Bool
    /// Whether the CPU has the VMX "ENCLS exiting" control; without it kvm_intel turns SGX off.
    public var enclsExiting: Bool
    /// The `nested` parameter (kvm_intel, kvm_amd; PVM has no nesting).
    public var nested: Bool
    /// The `enable_pmu` parameter of kvm.ko.
    public var enablePMU: Bool
    /// Two-dimensional paging (EPT / NPT). PVM always runs on shadow paging.
    public var tdp: Bool
    /// kvm_intel's `pt_mode=1` (host-guest): only then is Intel PT (leaf 0x14) offered.
    public var intelPTHostGuest: Bool

    public init(module: Module, sgx: Bool = true, enclsExiting: Bool = true, nested: Bool = true,
                enablePMU: Bool = true, tdp: Bool = true, intelPTHostGuest: Bool = false) {
        self.module = module
        self.sgx = sgx
        self.enclsExiting = enclsExiting
        self.nested = module == .kvmPVM ? false : nested
        self.enablePMU = enablePMU
        self.tdp = module == .kvmPVM ? false : tdp
        self.intelPTHostGuest = module == .kvmIntel ? intelPTHostGuest : false
    }

    public static func intel(sgx: Bool = true, enclsExiting: Bool = true) -> Self {
        Self(module: .kvmIntel, sgx: sgx, enclsExiting: enclsExiting)
    }

    public static let amd = Self(module: .kvmAMD)
    public static let pvm = Self(module: .kvmPVM)

    /// kvm_intel turns SGX off unless the parameter is on and the CPU can exit on ENCLS.
    public var sgxEnabled: Bool { module == .kvmIntel && sgx && enclsExiting }

    public var description: String {
        switch module {
        case .kvmIntel:
            "kvm_intel (sgx=\(sgx ? "on" : "off"), ENCLS-exiting \(enclsExiting ? "present" : "absent"))"
        case .kvmAMD: "kvm_amd"
        case .kvmPVM: "kvm_pvm"
        }
    }
}
