import CCPUID
import CPUID
import Glibc

/// A heap `struct kvm_cpuid2` with room for `capacity` entries: the one place the flexible array is handled.
/// Freed when the value is destroyed; never copied, so nothing else can hold a dangling pointer to it.
struct KVMCPUIDBuffer: ~Copyable {
    let capacity: UInt32
    private let storage: UnsafeMutableRawPointer
    private let byteCount: Int

    init(capacity: UInt32) {
        self.capacity = capacity
        byteCount = ccpuid_kvm_cpuid2_size(capacity)
        storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        header.pointee.nent = capacity
    }

    /// Fills a buffer from a snapshot, one kvm_cpuid_entry2 per entry, flags from the significant-index bit.
    init(_ snapshot: Snapshot) {
        self.init(capacity: UInt32(snapshot.count))
        let entries = ccpuid_kvm_cpuid2_entries(header)!
        let significant = ccpuid_KVM_CPUID_FLAG_SIGNIFCANT_INDEX()
        for (i, entry) in snapshot.entries.enumerated() {
            var raw = kvm_cpuid_entry2()
            raw.function = entry.leaf
            raw.index = entry.subleaf
            raw.flags = entry.significantIndex ? significant : 0
            raw.eax = entry.registers.eax
            raw.ebx = entry.registers.ebx
            raw.ecx = entry.registers.ecx
            raw.edx = entry.registers.edx
            entries[i] = raw
        }
    }

    deinit { storage.deallocate() }

    var header: UnsafeMutablePointer<kvm_cpuid2> { storage.assumingMemoryBound(to: kvm_cpuid2.self) }
    var rawPointer: UnsafeMutableRawPointer { storage }

    /// How many entries the kernel filled in (it rewrites `nent` on success).
    var count: UInt32 { header.pointee.nent }

    /// The entries the kernel returned, as vcpuid entries in table order.
    var entries: [CPUIDEntry] {
        let raw = ccpuid_kvm_cpuid2_entries(header)!
        let significant = ccpuid_KVM_CPUID_FLAG_SIGNIFCANT_INDEX()
        let n = Int(min(count, capacity))
        var result: [CPUIDEntry] = []
        result.reserveCapacity(n)
        for i in 0..<n {
            let e = raw[i]
            result.append(CPUIDEntry(key: LeafKey(e.function, e.index),
                                     registers: Registers(eax: e.eax, ebx: e.ebx, ecx: e.ecx, edx: e.edx),
                                     significantIndex: e.flags & significant != 0))
        }
        return result
    }

    /// The raw flags word of each entry (KVM_CPUID_FLAG_*), for callers that show more than the index bit.
    var flags: [UInt32] {
        let raw = ccpuid_kvm_cpuid2_entries(header)!
        return (0..<Int(min(count, capacity))).map { raw[$0].flags }
    }
}

/// One KVM CPUID query's answer, with the buffer sizes it took to get it (the E2BIG growth trail).
public struct KVMCPUIDQuery: Hashable, Sendable {
    /// The entries in the order KVM returned them.
    public var entries: [CPUIDEntry]
    /// Every entry's KVM_CPUID_FLAG_* word, parallel to `entries`.
    public var flags: [UInt32]
    /// The `nent` of every attempt, in order; all but the last failed with E2BIG.
    public var attempts: [UInt32]

    /// The entries as a snapshot (sorted by leaf and subleaf).
    public var snapshot: Snapshot { Snapshot(entries) }

    /// Issues a CPUID-table ioctl with `initialCapacity` entries and doubles on E2BIG (the kernel does not
    /// say how many it needs), up to `KVMSystem.maximumCPUIDCapacity`: the system and vCPU queries share it.
    static func asking(_ request: KVMRequest, on fileDescriptor: Int32,
                       initialCapacity: UInt32) throws(KVMError) -> KVMCPUIDQuery {
        var capacity = max(1, initialCapacity)
        var attempts: [UInt32] = []
        while true {
            attempts.append(capacity)
            let buffer = KVMCPUIDBuffer(capacity: capacity)
            do {
                _ = try request.call(fileDescriptor, buffer.rawPointer)
                return KVMCPUIDQuery(entries: buffer.entries, flags: buffer.flags, attempts: attempts)
            } catch where error.errno == E2BIG && capacity < KVMSystem.maximumCPUIDCapacity {
                capacity *= 2
            }
        }
    }
}
