import CPUID
import X86Features

/// The Linux-features derivation answers the KVM model's questions about the host kernel.
extension LinuxView: KVMHostKernelView {
    /// Synthetic features the derivation does not set from CPUID (they need MSRs or vendor init code it
    /// does not model); for these an unset bit means "unknown", and KVMHostFacts infers them.
    static let underivedFeatures: Set<String> = ["LS_CFG_SSBD"]

    public func capabilityWord(_ word: Int) -> UInt32 { capabilities[word] }

    public func hasFeature(_ macro: String) -> Bool? {
        guard let number = kernel.number(ofFeature: macro) else { return nil }
        let value = capabilities.contains(number)
        if !value, Self.underivedFeatures.contains(macro) { return nil }
        return value
    }

    /// Bugs cpu_set_bug_bits() decides are answered both ways (nil while an MSR they need is missing); a bug
    /// the vendor files set (NULL_SEG, SYSRET_SS_ATTRS, ...) is answered only when set, since the derivation
    /// may simply not model it.
    public func hasBug(_ name: String) -> Bool? {
        guard let number = kernel.number(ofBug: name) else { return nil }
        if capabilities.contains(number) { return true }
        return decidesBug(name) ? bugDecision(name) : nil
    }

    public func undecidedBug(_ name: String) -> String? {
        guard undecidedNames.contains(name) else { return nil }
        return undecidedBugs.first { $0.name == name }?.reason ?? "bug \(name.lowercased()) needs an MSR the input does not carry"
    }
}

extension KVMSupportedModel {
    /// Predicts KVM_GET_SUPPORTED_CPUID of `kernel`'s KVM on `host`, the host kernel's capabilities coming
    /// from the Linux derivation of the same kernel (with `bootOptions`, e.g. clearcpuid=).
    public static func predict(host: Snapshot, kernel: KernelProfile, module: KVMModuleOptions,
                               bootOptions: BootOptions = .none) -> SupportedPrediction {
        let profile = KVMKernelProfile.for(kernel.version) ?? KVMKernelProfile.all[0]
        var prediction = predict(host: host, linux: kernel, kvm: profile, module: module, bootOptions: bootOptions)
        if profile.version != kernel.version {
            prediction.notes.insert("Linux \(kernel.version) is predicted with the Linux \(profile.version) KVM tables (the newest modelled profile not above it)", at: 0)
        }
        return prediction
    }

    /// Predicts with a chosen KVM profile, the host kernel's capabilities derived with `linux` (use this when
    /// the KVM profile is chosen for a version the Linux profiles do not carry exactly).
    public static func predict(host: Snapshot, linux: KernelProfile, kvm: KVMKernelProfile, module: KVMModuleOptions,
                               bootOptions: BootOptions = .none) -> SupportedPrediction {
        let view = LinuxDerivation.derive(host, kernel: linux, options: bootOptions)
        return predict(host: host, kernel: kvm, hostKernel: view, module: module)
    }
}
