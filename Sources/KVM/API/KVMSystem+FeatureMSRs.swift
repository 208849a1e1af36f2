import CCPUID
import CPUID
import Glibc

extension KVMSystem {
    /// KVM_GET_MSR_FEATURE_INDEX_LIST: the feature MSRs KVM lets userspace read on /dev/kvm (the values a VMM
    /// may give a guest). Asked with an empty list first: KVM answers E2BIG with the count it needs.
    public func featureMSRIndices() throws(KVMError) -> [UInt32] {
        var needed: UInt32 = 0
        var capacity: UInt32 = 0
        while true {
            let size = ccpuid_kvm_msr_list_size(capacity)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { raw.deallocate() }
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            let list = raw.assumingMemoryBound(to: kvm_msr_list.self)
            list.pointee.nmsrs = capacity
            do {
                _ = try KVMRequest.getMSRFeatureIndexList.call(fileDescriptor, raw)
            } catch let error where error.errno == E2BIG && list.pointee.nmsrs > capacity && capacity == needed {
                needed = list.pointee.nmsrs
                capacity = needed
                continue
            }
            let indices = ccpuid_kvm_msr_list_indices(list)!
            return (0..<Int(list.pointee.nmsrs)).map { indices[$0] }
        }
    }

    /// KVM_GET_MSRS on the system fd for each feature MSR: its value, or `.faulted` where KVM refused the
    /// read (the ioctl stops at the first MSR it cannot read and returns how many it did).
    public func featureMSRs() throws(KVMError) -> [MSR] {
        let indices = try featureMSRIndices()
        var values: [MSR] = []
        values.reserveCapacity(indices.count)
        var start = 0
        while start < indices.count {
            let batch = Array(indices[start...])
            let size = ccpuid_kvm_msrs_size(UInt32(batch.count))
            let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { raw.deallocate() }
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            let msrs = raw.assumingMemoryBound(to: kvm_msrs.self)
            msrs.pointee.nmsrs = UInt32(batch.count)
            let entries = ccpuid_kvm_msrs_entries(msrs)!
            for (k, index) in batch.enumerated() { entries[k].index = index }
            let read = Int(try KVMRequest.getMSRs.call(fileDescriptor, raw))
            for k in 0..<min(read, batch.count) { values.append(MSR(entries[k].index, .value(entries[k].data))) }
            if read < batch.count { values.append(MSR(batch[read], .faulted)) }
            start += read + 1
        }
        return values
    }

    /// Every feature MSR with its value, or none where this KVM does not offer feature MSRs.
    public func offeredFeatureMSRs() throws(KVMError) -> [MSR] {
        offersFeatureMSRs ? try featureMSRs() : []
    }

    /// Whether this KVM offers feature MSRs at all (KVM_CAP_GET_MSR_FEATURES).
    public var offersFeatureMSRs: Bool {
        (try? checkExtension(.featureMSRs)).map { $0 > 0 } ?? false
    }
}
