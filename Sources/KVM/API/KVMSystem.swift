import CCPUID
import CPUID
import Glibc

/// The open KVM device (/dev/kvm): system-wide queries and the factory for virtual machines.
///
/// Non-copyable: exactly one value owns the descriptor, so it cannot be closed twice or kept open by a
/// forgotten copy; it is closed when the owner goes out of scope (or is passed to `close()`).
public struct KVMSystem: ~Copyable {
    /// The stable KVM API version; anything else means a kernel this code cannot talk to.
    public static let requiredAPIVersion: Int32 = ccpuid_KVM_API_VERSION()
    /// Entries to ask for in the first CPUID query; enough for today's tables, grown on E2BIG.
    public static let defaultCPUIDCapacity: UInt32 = 128
    /// A bound on growth, far above KVM_MAX_CPUID_ENTRIES (256), so a misbehaving kernel cannot loop us.
    static let maximumCPUIDCapacity: UInt32 = 1 << 16

    public let fileDescriptor: Int32

    /// Opens the device and checks that it speaks API version 12.
    public init(path: String = "/dev/kvm") throws(KVMError) {
        let fd = ccpuid_kvm_open(path)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        let version: Int32
        do {
            version = try KVMRequest.getAPIVersion.call(fd, value: 0)
        } catch {
            Glibc.close(fd)
            throw error
        }
        guard version == Self.requiredAPIVersion else {
            Glibc.close(fd)
            throw .unsupportedAPIVersion(version)
        }
        fileDescriptor = fd
    }

    deinit { Glibc.close(fileDescriptor) }

    /// Closes the device now rather than at the end of the owner's scope.
    public consuming func close() {}

    /// Whether /dev/kvm exists at all: callers that only want to skip use this before `init`.
    public static func isPresent(path: String = "/dev/kvm") -> Bool { access(path, F_OK) == 0 }

    /// KVM_GET_API_VERSION.
    public func apiVersion() throws(KVMError) -> Int32 {
        try KVMRequest.getAPIVersion.call(fileDescriptor, value: 0)
    }

    /// KVM_CHECK_EXTENSION: 0 when the capability is absent, otherwise a capability-specific value.
    public func checkExtension(_ capability: KVMCapability) throws(KVMError) -> Int32 {
        try KVMRequest.checkExtension.call(fileDescriptor, value: UInt(capability.rawValue))
    }

    /// KVM_GET_VCPU_MMAP_SIZE: the size of each vCPU's shared kvm_run area.
    public func vcpuMmapSize() throws(KVMError) -> Int {
        Int(try KVMRequest.getVCPUMmapSize.call(fileDescriptor, value: 0))
    }

    /// KVM_GET_SUPPORTED_CPUID as a snapshot: what KVM can offer a guest on this host.
    public func supportedCPUID() throws(KVMError) -> Snapshot {
        try supportedCPUIDQuery().snapshot
    }

    /// KVM_GET_EMULATED_CPUID as a snapshot: what KVM emulates even where the host lacks it.
    public func emulatedCPUID() throws(KVMError) -> Snapshot {
        try emulatedCPUIDQuery().snapshot
    }

    /// KVM_GET_SUPPORTED_CPUID with the raw flags and the E2BIG growth trail.
    public func supportedCPUIDQuery(initialCapacity: UInt32 = defaultCPUIDCapacity) throws(KVMError) -> KVMCPUIDQuery {
        try KVMCPUIDQuery.asking(.getSupportedCPUID, on: fileDescriptor, initialCapacity: initialCapacity)
    }

    /// KVM_GET_EMULATED_CPUID with the raw flags and the E2BIG growth trail.
    public func emulatedCPUIDQuery(initialCapacity: UInt32 = defaultCPUIDCapacity) throws(KVMError) -> KVMCPUIDQuery {
        try KVMCPUIDQuery.asking(.getEmulatedCPUID, on: fileDescriptor, initialCapacity: initialCapacity)
    }

    /// KVM_CREATE_VM (machine type 0, the default).
    public func createVirtualMachine() throws(KVMError) -> KVMVirtualMachine {
        let size = try vcpuMmapSize()
        let fd = try KVMRequest.createVM.call(fileDescriptor, value: 0)
        return KVMVirtualMachine(adopting: fd, vcpuMmapSize: size)
    }
}

extension KVMSystem {
    /// Opens /dev/kvm, reads the supported table, and closes it: the one-call form for other modules.
    public static func supportedCPUID(path: String = "/dev/kvm") throws(KVMError) -> Snapshot {
        try KVMSystem(path: path).supportedCPUID()
    }

    /// Opens /dev/kvm, reads the emulated table, and closes it.
    public static func emulatedCPUID(path: String = "/dev/kvm") throws(KVMError) -> Snapshot {
        try KVMSystem(path: path).emulatedCPUID()
    }
}
