import CCPUID
import Glibc

/// One KVM virtual machine (the fd KVM_CREATE_VM returned) and the guest memory it was given.
///
/// Non-copyable, like every KVM handle: the VM fd and every memory mapping added with `addMemory` are
/// released exactly once, when the owner goes away. A vCPU created from it holds its own fd; keep the VM
/// alive while the vCPU runs, because the guest memory is unmapped with the VM.
public struct KVMVirtualMachine: ~Copyable {
    public let fileDescriptor: Int32
    let vcpuMmapSize: Int
    private var mappings: [(address: UnsafeMutableRawPointer, size: Int)] = []

    init(adopting fd: Int32, vcpuMmapSize: Int) {
        fileDescriptor = fd
        self.vcpuMmapSize = vcpuMmapSize
    }

    deinit {
        // The fd first: the kernel drops its references to the memory before it disappears.
        Glibc.close(fileDescriptor)
        for mapping in mappings { munmap(mapping.address, mapping.size) }
    }

    /// Closes the VM and unmaps its memory now.
    public consuming func close() {}

    /// Maps `size` bytes of zeroed anonymous memory and gives it to the guest at `guestPhysicalAddress`
    /// (KVM_SET_USER_MEMORY_REGION). The returned buffer stays valid while this VM lives.
    public mutating func addMemory(slot: UInt32, guestPhysicalAddress: UInt64,
                                   size: Int) throws(KVMError) -> UnsafeMutableRawBufferPointer {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard size > 0, size % page == 0, guestPhysicalAddress % UInt64(page) == 0 else {
            throw .invalidArgument("guest memory must be a positive multiple of the page size (\(page) bytes) "
                + "at a page-aligned address; got \(size) bytes at 0x\(String(guestPhysicalAddress, radix: 16))")
        }
        guard let address = ccpuid_kvm_mmap_anonymous(size), ccpuid_kvm_map_failed(address) == 0 else {
            throw .mapFailed(what: "\(size) bytes of guest memory", errno: errno)
        }
        var region = kvm_userspace_memory_region()
        region.slot = slot
        region.flags = 0
        region.guest_phys_addr = guestPhysicalAddress
        region.memory_size = UInt64(size)
        region.userspace_addr = UInt64(UInt(bitPattern: address))
        do {
            _ = try KVMRequest.setUserMemoryRegion.call(fileDescriptor, &region)
        } catch {
            munmap(address, size)
            throw error
        }
        mappings.append((address, size))
        return UnsafeMutableRawBufferPointer(start: address, count: size)
    }

    /// KVM_CREATE_VCPU, and the mmap of its kvm_run area.
    public func createVCPU(id: UInt32 = 0) throws(KVMError) -> KVMVCPU {
        let fd = try KVMRequest.createVCPU.call(fileDescriptor, value: UInt(id))
        guard let run = ccpuid_kvm_mmap_shared(fd, vcpuMmapSize), ccpuid_kvm_map_failed(run) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .mapFailed(what: "the kvm_run area of vCPU \(id)", errno: code)
        }
        return KVMVCPU(adopting: fd, id: id, run: run, runSize: vcpuMmapSize)
    }
}
