import CCPUID
import Glibc

/// One ioctl: its name (for errors) and its number (from <linux/kvm.h>, through the C module).
struct KVMRequest: Sendable {
    let name: String
    let number: UInt

    static let getAPIVersion = KVMRequest(name: "KVM_GET_API_VERSION", number: ccpuid_KVM_GET_API_VERSION())
    static let checkExtension = KVMRequest(name: "KVM_CHECK_EXTENSION", number: ccpuid_KVM_CHECK_EXTENSION())
    static let getSupportedCPUID = KVMRequest(name: "KVM_GET_SUPPORTED_CPUID", number: ccpuid_KVM_GET_SUPPORTED_CPUID())
    static let getEmulatedCPUID = KVMRequest(name: "KVM_GET_EMULATED_CPUID", number: ccpuid_KVM_GET_EMULATED_CPUID())
    static let createVM = KVMRequest(name: "KVM_CREATE_VM", number: ccpuid_KVM_CREATE_VM())
    static let getVCPUMmapSize = KVMRequest(name: "KVM_GET_VCPU_MMAP_SIZE", number: ccpuid_KVM_GET_VCPU_MMAP_SIZE())
    static let setUserMemoryRegion = KVMRequest(name: "KVM_SET_USER_MEMORY_REGION",
                                                number: ccpuid_KVM_SET_USER_MEMORY_REGION())
    static let createVCPU = KVMRequest(name: "KVM_CREATE_VCPU", number: ccpuid_KVM_CREATE_VCPU())
    static let setCPUID2 = KVMRequest(name: "KVM_SET_CPUID2", number: ccpuid_KVM_SET_CPUID2())
    static let getCPUID2 = KVMRequest(name: "KVM_GET_CPUID2", number: ccpuid_KVM_GET_CPUID2())
    static let getRegs = KVMRequest(name: "KVM_GET_REGS", number: ccpuid_KVM_GET_REGS())
    static let setRegs = KVMRequest(name: "KVM_SET_REGS", number: ccpuid_KVM_SET_REGS())
    static let getSregs = KVMRequest(name: "KVM_GET_SREGS", number: ccpuid_KVM_GET_SREGS())
    static let setSregs = KVMRequest(name: "KVM_SET_SREGS", number: ccpuid_KVM_SET_SREGS())
    static let run = KVMRequest(name: "KVM_RUN", number: ccpuid_KVM_RUN())
    static let getMSRFeatureIndexList = KVMRequest(name: "KVM_GET_MSR_FEATURE_INDEX_LIST",
                                                   number: ccpuid_KVM_GET_MSR_FEATURE_INDEX_LIST())
    static let getMSRs = KVMRequest(name: "KVM_GET_MSRS", number: ccpuid_KVM_GET_MSRS())
    static let setMSRs = KVMRequest(name: "KVM_SET_MSRS", number: ccpuid_KVM_SET_MSRS())

    /// Issues the ioctl with a pointer argument. EINTR is retried unless the caller wants to see it
    /// (KVM_RUN, where EINTR is how a timeout stops the guest).
    @inline(__always)
    func call(_ fd: Int32, _ argument: UnsafeMutableRawPointer?, retryOnEINTR: Bool = true) throws(KVMError) -> Int32 {
        while true {
            let result = ccpuid_kvm_ioctl_ptr(fd, number, argument)
            if result >= 0 { return result }
            let code = errno
            if code == EINTR && retryOnEINTR { continue }
            throw .ioctlFailed(ioctl: name, errno: code)
        }
    }

    /// Issues the ioctl with an integer argument (KVM_CHECK_EXTENSION, KVM_CREATE_VM, KVM_CREATE_VCPU).
    func call(_ fd: Int32, value: UInt) throws(KVMError) -> Int32 {
        while true {
            let result = ccpuid_kvm_ioctl_value(fd, number, value)
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw .ioctlFailed(ioctl: name, errno: code)
        }
    }

    /// Issues the ioctl with a typed in/out argument.
    func call<T>(_ fd: Int32, _ argument: inout T) throws(KVMError) -> Int32 {
        let result = withUnsafeMutableBytes(of: &argument) { pointer in
            Result { () throws(KVMError) -> Int32 in try call(fd, pointer.baseAddress) }
        }
        return try result.get()
    }
}
