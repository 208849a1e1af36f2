import CCPUID

/// Runs work on one chosen logical CPU by pinning the calling thread there, and always puts the
/// thread's previous affinity back, so that a library caller's thread is left as it was found.
enum CPUAffinity {
    static func run<T>(on cpu: Int, _ body: () -> T) throws(LiveSourceError) -> T {
        var previous = ccpuid_cpu_mask()
        let got = ccpuid_get_affinity(&previous)
        guard got == 0 else { throw .affinity(operation: "sched_getaffinity", cpu: cpu, errno: -got) }
        var target = ccpuid_cpu_mask()
        ccpuid_mask_clear(&target)
        let added = ccpuid_mask_set(&target, Int32(clamping: cpu))
        guard added == 0 else { throw .affinity(operation: "building the CPU mask", cpu: cpu, errno: -added) }
        let set = ccpuid_set_affinity(&target)
        guard set == 0 else { throw .affinity(operation: "sched_setaffinity", cpu: cpu, errno: -set) }
        let result = body()
        let restored = ccpuid_set_affinity(&previous)
        guard restored == 0 else { throw .affinity(operation: "restoring the thread's affinity (sched_setaffinity)", cpu: cpu, errno: -restored) }
        return result
    }
}
