import CPUID

/// Predicts KVM_GET_SUPPORTED_CPUID for a host, a kernel version and a vendor module, recording the
/// rule behind every bit: kvm_set_cpu_caps() and the vendor's *_set_cpu_caps() build KVM's capability
/// words, then __do_cpuid_func() builds each leaf from the host's CPUID and those words.
public enum KVMSupportedModel {
    /// The core: `hostKernel` is the host kernel's view of its own CPU (capability words, boot_cpu_has).
    public static func predict(host: Snapshot, kernel: KVMKernelProfile, hostKernel: any KVMHostKernelView,
                               module: KVMModuleOptions) -> SupportedPrediction {
        let facts = KVMHostFacts(raw: host, kernel: hostKernel)
        let caps = KVMCapabilities.compute(profile: kernel, host: facts, module: module)
        var builder = KVMSupportedTableBuilder(profile: kernel, module: module, host: facts, caps: caps)
        builder.build()
        let (snapshot, rules, notes) = builder.result()
        var allNotes = notes
        if module.module == .kvmPVM {
            allNotes.insert("kvm_pvm is modelled from the public virt-pvm/linux pvm_set_cpu_caps(); a PVM build may differ", at: 0)
        }
        return SupportedPrediction(snapshot: snapshot, kernel: kernel, module: module, capabilities: caps,
                                   rules: rules, notes: allNotes)
    }
}
