import CPUID
import X86Features

extension KVMModuleOptions {
    /// The options of the module loaded on this machine, from /sys/module (`KVMModuleInfo.detect()`);
    /// nil when no module the model covers is loaded. ENCLS exiting is not visible in sysfs and is
    /// taken as present.
    public init?(detected info: KVMModuleInfo) {
        func flag(_ name: String) -> Bool? { info.parameters[name].map { ["Y", "y", "1"].contains($0) } }
        switch info.name {
        case "kvm_intel":
            self.init(module: .kvmIntel, sgx: flag("sgx") ?? true, nested: flag("nested") ?? true,
                      enablePMU: flag("enable_pmu") ?? true, tdp: flag("ept") ?? true)
        case "kvm_amd":
            self.init(module: .kvmAMD, nested: flag("nested") ?? true, enablePMU: flag("enable_pmu") ?? true,
                      tdp: flag("npt") ?? true)
        case "kvm_pvm":
            self.init(module: .kvmPVM, enablePMU: flag("enable_pmu") ?? true)
        default:
            return nil
        }
    }

    /// The module a host of this vendor would load: kvm_amd on AMD and Hygon, kvm_intel otherwise.
    public static func defaultModule(for host: Snapshot) -> KVMModuleOptions {
        Module.default(for: host.cpuVendor) == .kvmAMD ? .amd : .intel()
    }

    /// Says plainly how far the model covers a live module.
    public static func coverage(ofLiveModule name: String?, modelled: KVMModuleOptions) -> String {
        switch name {
        case "kvm_intel", "kvm_amd":
            return name == modelled.module.rawValue
                ? "\(name ?? "") is modelled"
                : "the live module is \(name ?? ""), the model is \(modelled.module.rawValue): expect differences"
        case "kvm_pvm":
            return "the live module is kvm_pvm, which the model covers only from the public virt-pvm/linux "
                + "pvm_set_cpu_caps(); this machine's build may differ, so differences are expected"
        case nil:
            return "no vendor module was found in /sys/module; the model is \(modelled.module.rawValue)"
        case let other?:
            return "the live module is \(other), which the model does not cover; the model is \(modelled.module.rawValue)"
        }
    }
}

/// The host features a machine's KVM does not offer, with the model's reasons: what the default report's
/// KVM section lists.
public struct KVMUnofferedReport: Sendable {
    /// The module the reasons were modelled for, and how well the model covers the live one.
    public var modelled: KVMModuleOptions
    public var coverage: String
    public var prediction: SupportedPrediction
    public var features: [KVMUnofferedFeature]

    /// `live` is this machine's KVM_GET_SUPPORTED_CPUID when it could be read; without it the list is the
    /// model's alone.
    public init(host: Snapshot, live: Snapshot?, kernel: KernelProfile, module info: KVMModuleInfo) {
        let modelled = KVMModuleOptions(detected: info) ?? .defaultModule(for: host)
        self.modelled = modelled
        coverage = KVMModuleOptions.coverage(ofLiveModule: info.name, modelled: modelled)
        prediction = KVMSupportedModel.predict(host: host, kernel: kernel, module: modelled)
        features = prediction.unofferedHostFeatures(host: host, offered: live)
    }
}
