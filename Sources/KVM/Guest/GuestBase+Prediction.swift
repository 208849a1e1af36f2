import CPUID
import X86Features

extension GuestBase {
    /// The supported table `kernel`'s KVM would report on `host` (vcpuid's model), with the model's rule
    /// behind every bit, so that refusing a feature can say which line of KVM withholds it.
    public static func predicted(host: Snapshot, hostName: String, kernel: KernelProfile,
                                 module: KVMModuleOptions) -> GuestBase {
        let prediction = KVMSupportedModel.predict(host: host, kernel: kernel, module: module)
        let name = "predicted KVM_GET_SUPPORTED_CPUID (Linux \(kernel.version), \(module.module.rawValue), host \(hostName))"
        let view = LinuxDerivation.derive(host, kernel: kernel)
        let msrs = KVMFeatureMSRModel.predict(host: host, hostKernel: view, kernel: kernel.version, module: module)
        var snapshot = prediction.snapshot
        var notes = prediction.notes
        for msr in msrs where msr.decidedMask != 0 {
            snapshot.setMSR(MSR(msr.index, .value(msr.value)))
            if !msr.isDecided {
                notes.append("\(msr.name): the model leaves bits \(msr.valueText) undecided; the base carries them as 0")
            }
        }
        var base = GuestBase(kind: .predicted, snapshot: snapshot, name: name, notes: notes) { field in
            prediction.rule(for: field).map { "the model's rule: \($0)" }
        }
        base.msrExplanation = { index, bit in
            msrs.first { $0.index == index }.map { "the model's rule: \($0.account(ofBit: bit).rule)" }
                ?? "the model lists no \(FeatureMSRNames.name(of: index)) for Linux \(kernel.version) \(module.module.rawValue)"
        }
        return base
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
        base.msrExplanation = { index, bit in
            guard let snapshot = host() else { return nil }
            let view = LinuxDerivation.derive(snapshot, kernel: kernel)
            let msrs = KVMFeatureMSRModel.predict(host: snapshot, hostKernel: view, kernel: kernel.version, module: module)
            guard let msr = msrs.first(where: { $0.index == index }) else {
                return "vcpuid's model of Linux \(kernel.version) \(module.module.rawValue) lists no such feature MSR"
            }
            return "KVM_GET_MSRS on /dev/kvm reads it as 0; vcpuid's model of Linux \(kernel.version) \(module.module.rawValue) says \(msr.account(ofBit: bit).rule)"
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
