import CCPUID
import CPUID

extension KVMSystem {
    /// KVM_GET_SUPPORTED_CPUID (or, with `emulated`, KVM_GET_EMULATED_CPUID) issued on logical CPU `cpu`.
    /// KVM passes some per-CPU fields through from the CPU that runs the ioctl (the initial APIC ID in
    /// 1.EBX[31:24], the x2APIC ID in 0xB/0x1F EDX), so a reproducible table names its CPU.
    /// The calling thread's affinity is restored afterwards.
    public func cpuidQuery(emulated: Bool = false, onCPU cpu: Int,
                           initialCapacity: UInt32 = defaultCPUIDCapacity) throws(KVMError) -> KVMCPUIDQuery {
        var previous = ccpuid_cpu_mask()
        let got = ccpuid_get_affinity(&previous)
        guard got == 0 else { throw .affinity(operation: "sched_getaffinity", cpu: nil, errno: -got) }
        var target = ccpuid_cpu_mask()
        ccpuid_mask_clear(&target)
        guard ccpuid_mask_set(&target, Int32(clamping: cpu)) == 0 else {
            throw .invalidArgument("CPU \(cpu) is not a logical CPU number this build can pin to")
        }
        let set = ccpuid_set_affinity(&target)
        guard set == 0 else {
            throw .affinity(operation: "sched_setaffinity", cpu: cpu, errno: -set)
        }
        defer { _ = ccpuid_set_affinity(&previous) }
        return emulated ? try emulatedCPUIDQuery(initialCapacity: initialCapacity)
            : try supportedCPUIDQuery(initialCapacity: initialCapacity)
    }
}
