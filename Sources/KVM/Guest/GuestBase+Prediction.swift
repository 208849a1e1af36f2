import CPUID
import X86Features

extension GuestBase {
    /// The supported table `kernel`'s KVM would report on `host` (vcpuid's model), with the model's rule
    /// behind every bit, so that refusing a feature can say which line of KVM withholds it.
    public static func predicted(host: Snapshot, hostName: String, kernel: KernelProfile,
                                 module: KVMModuleOptions) -> GuestBase {
        let prediction = KVMSupportedModel.predict(host: host, kernel: kernel, module: module)
        let name = "predicted KVM_GET_SUPPORTED_CPUID (Linux \(kernel.version), \(module.module.rawValue), host \(hostName))"
        return GuestBase(kind: .predicted, snapshot: prediction.snapshot, name: name, notes: prediction.notes) { field in
            prediction.rule(for: field).map { "the model's rule: \($0)" }
        }
    }

    /// Adds the model's explanation to a live base: why this kernel's KVM module would not offer a bit, read from
    /// a prediction for the same host (computed only when a refusal asks).
    public func explainedByModel(host: @escaping @Sendable () -> Snapshot?, kernel: KernelProfile,
                                 module: KVMModuleOptions) -> GuestBase {
        var base = self
        base.explanation = { field in
            guard let snapshot = host() else { return nil }
            let prediction = KVMSupportedModel.predict(host: snapshot, kernel: kernel, module: module)
            guard let rule = prediction.rule(for: field) else { return nil }
            return "vcpuid's model of Linux \(kernel.version) \(module.module.rawValue) says \(rule)"
        }
        return base
    }
}

extension KVMModuleOptions {
    /// The module options for a host: the loaded vendor module when /sys names one, else the host's vendor
    /// (kvm_amd for AMD and Hygon, kvm_intel otherwise), with that module's defaults.
    public static func guess(for host: Snapshot, loaded: KVMModuleInfo? = nil) -> KVMModuleOptions {
        if let name = loaded?.name, let module = Module(rawValue: name) {
            var options = KVMModuleOptions(module: module)
            if module == .kvmIntel, let sgx = loaded?.parameters["sgx"] { options.sgx = ["Y", "1", "y"].contains(sgx) }
            return options
        }
        return KVMModuleOptions(module: .default(for: host.cpuVendor))
    }
}
