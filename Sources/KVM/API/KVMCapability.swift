import CCPUID

/// A KVM_CAP_* number for KVM_CHECK_EXTENSION; the named ones come from <linux/kvm.h>.
public struct KVMCapability: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let extendedCPUID = KVMCapability(rawValue: ccpuid_KVM_CAP_EXT_CPUID())
    public static let emulatedCPUID = KVMCapability(rawValue: ccpuid_KVM_CAP_EXT_EMUL_CPUID())
    public static let recommendedVCPUs = KVMCapability(rawValue: ccpuid_KVM_CAP_NR_VCPUS())
    public static let maximumVCPUs = KVMCapability(rawValue: ccpuid_KVM_CAP_MAX_VCPUS())
    public static let memorySlots = KVMCapability(rawValue: ccpuid_KVM_CAP_NR_MEMSLOTS())
    public static let immediateExit = KVMCapability(rawValue: ccpuid_KVM_CAP_IMMEDIATE_EXIT())
    public static let userMemory = KVMCapability(rawValue: ccpuid_KVM_CAP_USER_MEMORY())
    public static let internalErrorData = KVMCapability(rawValue: ccpuid_KVM_CAP_INTERNAL_ERROR_DATA())
    public static let featureMSRs = KVMCapability(rawValue: ccpuid_KVM_CAP_GET_MSR_FEATURES())

    public var description: String {
        switch self {
        case .extendedCPUID: "KVM_CAP_EXT_CPUID"
        case .emulatedCPUID: "KVM_CAP_EXT_EMUL_CPUID"
        case .recommendedVCPUs: "KVM_CAP_NR_VCPUS"
        case .maximumVCPUs: "KVM_CAP_MAX_VCPUS"
        case .memorySlots: "KVM_CAP_NR_MEMSLOTS"
        case .immediateExit: "KVM_CAP_IMMEDIATE_EXIT"
        case .userMemory: "KVM_CAP_USER_MEMORY"
        case .internalErrorData: "KVM_CAP_INTERNAL_ERROR_DATA"
        case .featureMSRs: "KVM_CAP_GET_MSR_FEATURES"
        default: "KVM capability \(rawValue)"
        }
    }
}
