import CPUID

/// The KVM paravirtual leaves 0x40000000 (signature) and 0x40000001 (KVM_CPUID_FEATURES).
extension KVMSupportedTableBuilder {
    /// "KVMKVMKVM\0\0\0" as EBX, ECX, EDX.
    static let kvmSignature: (UInt32, UInt32, UInt32) = (0x4B4D_564B, 0x564B_4D56, 0x0000_004D)

    /// KVM_FEATURE_* bits KVM_GET_SUPPORTED_CPUID reports in every modelled kernel: CLOCKSOURCE (0),
    /// NOP_IO_DELAY (1), CLOCKSOURCE2 (3), ASYNC_PF (4), PV_EOI (6), PV_UNHALT (7), PV_TLB_FLUSH (9),
    /// ASYNC_PF_VMEXIT (10), PV_SEND_IPI (11), POLL_CONTROL (12), PV_SCHED_YIELD (13), ASYNC_PF_INT (14),
    /// CLOCKSOURCE_STABLE_BIT (24).
    static let kvmParavirtFeatures: UInt32 = 0x0100_7EDB
    /// KVM_FEATURE_STEAL_TIME (5), added when the kernel has sched_info (CONFIG_SCHED_INFO).
    static let kvmStealTime: UInt32 = 1 << 5

    mutating func hypervisorSignature(_ key: LeafKey) {
        assign(key, .eax, 0x4000_0001, rule: .leaf(0x4000_0000, "EAX = KVM_CPUID_FEATURES (0x40000001), the highest KVM leaf"))
        let (ebx, ecx, edx) = Self.kvmSignature
        assign(key, .ebx, ebx, rule: .leaf(0x4000_0000, "EBX:ECX:EDX = \"KVMKVMKVM\\0\\0\\0\""))
        assign(key, .ecx, ecx, rule: .leaf(0x4000_0000, "EBX:ECX:EDX = \"KVMKVMKVM\\0\\0\\0\""))
        assign(key, .edx, edx, rule: .leaf(0x4000_0000, "EBX:ECX:EDX = \"KVMKVMKVM\\0\\0\\0\""))
        if module.module == .kvmPVM {
            note("kvm_pvm also sets a PVM CPUID signature (kvm_cpuid_vendor_signature); the model shows KVM's leaves only")
        }
    }

    mutating func hypervisorFeatures(_ key: LeafKey) {
        assign(key, .eax, Self.kvmParavirtFeatures,
               rule: .leaf(0x4000_0001, "EAX = the KVM_FEATURE_* bits KVM always offers"))
        assign(key, .eax, Self.kvmStealTime, mask: Self.kvmStealTime,
               rule: .leaf(0x4000_0001, "KVM_FEATURE_STEAL_TIME when sched_info_on() (assumed: CONFIG_SCHED_INFO, as in distribution kernels)"))
        zero(key, [.ebx, .ecx, .edx], rule: .leaf(0x4000_0001, "EBX = ECX = EDX = 0"))
    }
}
