import CPUID
import X86Features

extension QEMUAcceleratorOffer {
    /// This machine's KVM: the live supported CPUID and feature MSRs, the running kernel and loaded module.
    public static func live(path: String = "/dev/kvm") throws(KVMError) -> QEMUAcceleratorOffer {
        let info = KVMModuleInfo.detect()
        let base = try GuestBase.live(path: path, module: info)
        let module = info.name.flatMap(KVMModuleOptions.Module.init(rawValue:))
            ?? .default(for: CPUVendor(base.snapshot))
        let kernel = KernelVersion.running() ?? KernelProfile.newest.version
        return QEMUAcceleratorOffer(kvm: base.snapshot, kernel: kernel, module: module,
                                    origin: "live /dev/kvm (\(module.rawValue), Linux \(kernel))")
    }

    /// What `kernel`'s KVM would offer on another host (vcpuid's model of KVM_GET_SUPPORTED_CPUID and the
    /// feature MSRs).
    public static func predicted(host: Snapshot, hostName: String, kernel: KernelVersion,
                                 module: KVMModuleOptions? = nil) -> QEMUAcceleratorOffer {
        let resolution = KernelResolution(kernel)
        let options = module ?? KVMModuleOptions.guess(for: host)
        let base = GuestBase.predicted(host: host, hostName: hostName, kernel: resolution.profile, module: options)
        return QEMUAcceleratorOffer(kvm: base.snapshot, kernel: kernel, module: options.module,
                                    origin: "vcpuid's model of Linux \(kernel) \(options.module.rawValue) on \(hostName)")
    }

    /// TCG's features: what the `max` model has under TCG.
    public static func tcg(models: QEMUModelTable) -> QEMUAcceleratorOffer? {
        guard models.accelerator == "tcg", let max = models.model(named: "max") else { return nil }
        return QEMUAcceleratorOffer(tcg: max.featureBits, kernel: KernelProfile.newest.version,
                                    origin: "TCG (\(models.versionLine))")
    }
}
