import X86Features

/// What one kernel version's KVM does to build KVM_GET_SUPPORTED_CPUID: the capability tables of
/// kvm_set_cpu_caps() and the vendor modules, and the numbers its per-leaf code uses.
///
/// Each profile is data read from that kernel's arch/x86/kvm/cpuid.c, reverse_cpuid.h, vmx/vmx.c,
/// svm/svm.c and asm/sgx.h; `source` says exactly which text.
public struct KVMKernelProfile: Hashable, Sendable, CustomStringConvertible {
    public var version: KernelVersion
    /// Where the tables were read.
    public var source: String
    /// The word initializers of kvm_set_cpu_caps(), in the kernel's order.
    public var initializers: [KVMCapabilityInit]
    /// The kvm_cpu_cap_set()/clear() calls that follow them in kvm_set_cpu_caps().
    public var adjustments: [KVMCapabilityAdjustment]
    /// vmx_set_cpu_caps(), svm_set_cpu_caps() and pvm_set_cpu_caps(), per module.
    public var vendorAdjustments: [KVMModuleOptions.Module: [KVMCapabilityAdjustment]]
    /// Leaf 0's `min(eax, N)`: the highest basic leaf KVM implements.
    public var maxBasicLeaf: UInt32
    /// Leaf 0x80000000's `min(eax, N)`.
    public var maxExtendedLeaf: UInt32
    /// Leaf 7's `min(eax, N)`: the highest subleaf of leaf 7.
    public var maxLeaf7Subleaf: UInt32
    /// SGX_ATTR_PRIV_MASK | SGX_ATTR_UNPRIV_MASK from asm/sgx.h (SECS.ATTRIBUTES bits KVM lets through).
    public var sgxAttributeMask: UInt32
    /// The leaves with a significant index (cpuid_function_is_indexed()).
    public var indexedLeaves: Set<UInt32>
    /// How __do_cpuid_func() treats the leaves whose handling changed between releases.
    public var leaves: KVMLeafHandling

    public var description: String { "Linux \(version) KVM" }

    /// All profiles, oldest first.
    public static let all: [KVMKernelProfile] = [.v5_10, .v5_15, .v6_1, .v6_2, .v6_6, .v6_12, .v6_18, .v6_19, .v7_0]

    /// The newest profile not newer than `version`; nil for kernels older than the oldest profile.
    public static func `for`(_ version: KernelVersion) -> KVMKernelProfile? {
        all.last { $0.version <= version }
    }

    /// The word initializer for this word, if the kernel has one.
    public func initializer(for word: KVMCapabilityWord) -> KVMCapabilityInit? {
        initializers.first { $0.word == word }
    }

    /// Every word this kernel's KVM keeps.
    public var words: [KVMCapabilityWord] { initializers.map(\.word) }
}
