import CCPUID
import CPUID
import Glibc

extension KVMVCPU {
    /// KVM_SET_MSRS: writes each (index, value) as userspace (host-initiated). KVM stops at the first MSR it
    /// refuses and returns how many it wrote; the count is returned, not thrown, so callers name the refused one.
    public func setMSRs(_ msrs: [(index: UInt32, value: UInt64)]) throws(KVMError) -> Int {
        guard !msrs.isEmpty else { return 0 }
        return try withMSRBuffer(msrs.map(\.index), values: msrs.map(\.value)) { raw throws(KVMError) in
            Int(try KVMRequest.setMSRs.call(fileDescriptor, raw))
        }.count
    }

    /// KVM_GET_MSRS on the vCPU: the values read, in order, up to the first MSR KVM refuses.
    public func msrs(_ indices: [UInt32]) throws(KVMError) -> [UInt64] {
        guard !indices.isEmpty else { return [] }
        let (count, values) = try withMSRBuffer(indices, values: nil) { raw throws(KVMError) in
            Int(try KVMRequest.getMSRs.call(fileDescriptor, raw))
        }
        return Array(values.prefix(count))
    }

    private func withMSRBuffer(_ indices: [UInt32], values: [UInt64]?,
                               _ body: (UnsafeMutableRawPointer) throws(KVMError) -> Int) throws(KVMError) -> (count: Int, values: [UInt64]) {
        let size = ccpuid_kvm_msrs_size(UInt32(indices.count))
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let msrs = raw.assumingMemoryBound(to: kvm_msrs.self)
        msrs.pointee.nmsrs = UInt32(indices.count)
        let entries = ccpuid_kvm_msrs_entries(msrs)!
        for (k, index) in indices.enumerated() {
            entries[k].index = index
            entries[k].data = values?[k] ?? 0
        }
        let count = try body(raw)
        return (count, (0..<indices.count).map { entries[$0].data })
    }
}
