import CPUID
import Glibc

/// A failed step on the way to or inside a KVM guest: which call, which errno, and what to do about it.
/// Every ioctl failure names its ioctl, because "EINVAL" alone tells a VMM author nothing.
public enum KVMError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Opening the KVM device failed (missing module, permissions, ...).
    case cannotOpen(path: String, errno: Int32)
    /// The kernel speaks another KVM API version than the stable 12 this code is written against.
    case unsupportedAPIVersion(Int32)
    /// An ioctl returned -1.
    case ioctlFailed(ioctl: String, errno: Int32)
    /// mmap of the vCPU's kvm_run area or of guest memory failed.
    case mapFailed(what: String, errno: Int32)
    /// A guest-physical range or slot the caller asked for cannot be honoured.
    case invalidArgument(String)
    /// Pinning the calling thread to a logical CPU (or reading its affinity) failed: not an ioctl.
    case affinity(operation: String, cpu: Int?, errno: Int32)
    /// This build has no <linux/kvm.h> (not Linux).
    case notSupportedOnThisPlatform

    /// The errno behind the failure, when there is one.
    public var errno: Int32? {
        switch self {
        case let .cannotOpen(_, e), let .ioctlFailed(_, e), let .mapFailed(_, e), let .affinity(_, _, e): e
        case .unsupportedAPIVersion, .invalidArgument, .notSupportedOnThisPlatform: nil
        }
    }

    /// The ioctl that failed, when the failure is an ioctl.
    public var ioctl: String? {
        if case let .ioctlFailed(name, _) = self { return name }
        return nil
    }

    public var description: String {
        var text: String
        switch self {
        case let .cannotOpen(path, e):
            text = "cannot open \(path): \(Self.errnoName(e)) (\(Self.message(e)))"
        case let .unsupportedAPIVersion(version):
            text = "KVM_GET_API_VERSION returned \(version), but the stable KVM API is version 12"
        case let .ioctlFailed(name, e):
            text = "\(name) failed: \(Self.errnoName(e)) (\(Self.message(e)))"
        case let .mapFailed(what, e):
            text = "mmap of \(what) failed: \(Self.errnoName(e)) (\(Self.message(e)))"
        case let .invalidArgument(why):
            text = why
        case let .affinity(operation, cpu, e):
            text = "\(operation)\(cpu.map { " to CPU \($0)" } ?? "") failed: \(Self.errnoName(e)) (\(Self.message(e)))"
        case .notSupportedOnThisPlatform:
            text = "this build of vcpuid has no KVM support (it was not built for Linux)"
        }
        if let advice { text += ". " + advice }
        return text
    }

    /// What a user can do about the common failures; nil when there is nothing general to say.
    public var advice: String? {
        switch self {
        case let .cannotOpen(path, e):
            switch e {
            case ENOENT:
                return "\(path) does not exist: load the KVM module (modprobe kvm_intel or kvm_amd); "
                    + "inside a VM, turn on nested virtualization on the host first"
            case ENXIO, ENODEV:
                return "the KVM device has no driver behind it: load kvm_intel or kvm_amd, and check that "
                    + "virtualization (VT-x/AMD-V) is enabled in the firmware"
            case EACCES, EPERM:
                return "add this user to the kvm group (usermod -aG kvm $USER, then log in again) or run as root"
            default:
                return nil
            }
        case .unsupportedAPIVersion:
            return "this kernel's KVM is not one vcpuid can talk to"
        case let .ioctlFailed(name, e):
            switch (name, e) {
            case ("KVM_SET_CPUID2", EPERM):
                // kvm_check_cpuid() -> fpu_enable_guest_xfd_features(): dynamic XSAVE state needs a permission.
                return "the table's CPUID.(EAX=0DH,ECX=0) enables dynamically allocated XSAVE state (AMX XTILEDATA, "
                    + "XCR0 bit 18) that this process has no permission for (arch_prctl ARCH_REQ_XCOMP_GUEST_PERM) "
                    + "or that the host does not support; this is not a file-permission problem"
            case (_, EACCES), (_, EPERM):
                return "run as root or as a member of the kvm group"
            case ("KVM_CREATE_VM", EBUSY):
                return "another hypervisor (VirtualBox, VMware) holds VT-x/AMD-V; stop it, or use nested virtualization"
            case ("KVM_CREATE_VM", ENOMEM), ("KVM_CREATE_VCPU", ENOMEM):
                return "the kernel is out of memory for a new VM"
            case ("KVM_CREATE_VM", ENODEV), ("KVM_CREATE_VM", EOPNOTSUPP), ("KVM_CREATE_VM", EINVAL):
                return "KVM cannot create a VM here: virtualization is off in the firmware, or nested virtualization is off"
            case ("KVM_SET_CPUID2", E2BIG):
                return "the table has more entries than KVM accepts (KVM_MAX_CPUID_ENTRIES)"
            case ("KVM_SET_CPUID2", EINVAL):
                return "KVM refused the table as inconsistent (e.g. MAXPHYADDR, XSAVE features, or a change after KVM_RUN)"
            case ("KVM_SET_CPUID2", EFAULT), ("KVM_GET_CPUID2", EFAULT):
                return "the table buffer was not readable or writable"
            case ("KVM_RUN", EINTR):
                return "the guest was interrupted by a signal"
            case ("KVM_RUN", EFAULT):
                return "the guest touched memory whose host mapping is gone; keep the VM alive while its vCPU runs"
            default:
                return nil
            }
        case let .affinity(_, cpu, e) where e == EINVAL:
            return cpu.map { "is CPU \($0) online? /sys/devices/system/cpu/online lists the online CPUs" }
        case .mapFailed, .invalidArgument, .notSupportedOnThisPlatform, .affinity:
            return nil
        }
    }

    /// `ENOENT`, `EACCES`, ...: the symbolic name, so that messages read like the man pages.
    public static func errnoName(_ code: Int32) -> String { Errno(code).name }

    static func message(_ code: Int32) -> String { Errno(code).message }
}
