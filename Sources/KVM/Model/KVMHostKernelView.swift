/// What the KVM model asks of the host kernel: its capability words (`boot_cpu_data.x86_capability`),
/// `boot_cpu_has()` and `boot_cpu_has_bug()`. The Linux-features derivation (`LinuxView`) answers these;
/// tests may answer them directly.
public protocol KVMHostKernelView: Sendable {
    /// The host kernel's capability word with this number.
    func capabilityWord(_ word: Int) -> UInt32
    /// `boot_cpu_has(X86_FEATURE_<macro>)`; nil when the view does not know the macro in this kernel.
    func hasFeature(_ macro: String) -> Bool?
    /// `boot_cpu_has_bug(X86_BUG_<name>)`; nil when the view does not derive bug flags.
    func hasBug(_ name: String) -> Bool?
    /// Why `boot_cpu_has_bug(X86_BUG_<name>)` cannot be decided (the MSRs it needs were not read); nil when
    /// the view decides it or does not say.
    func undecidedBug(_ name: String) -> String?
}

extension KVMHostKernelView {
    /// Views that decide every bug they know answer nil.
    public func undecidedBug(_ name: String) -> String? { nil }
}
