/// Where a live snapshot comes from.
public enum LiveSource: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The CPUID instruction, run on a thread pinned to the chosen CPU.
    case instruction = "cpuid"
    /// The kernel's cpuid driver, /dev/cpu/N/cpuid, which runs CPUID on CPU N for us.
    case devCPU = "devcpu"

    public var description: String { rawValue }
}

/// Why a live snapshot could not be taken; each case says what to do about it.
public enum LiveSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    case noInstruction
    case cpuNotOnline(cpu: Int, online: [Int])
    case onlineListUnreadable(path: String, detail: String)
    case affinity(operation: String, cpu: Int, errno: Int32)
    case devCPUMissing(path: String)
    case devCPUPermission(path: String)
    case devCPUOpen(path: String, errno: Int32)
    case devCPURead(path: String, key: LeafKey, errno: Int32)
    case msrDeviceMissing(path: String)
    case msrDevicePermission(path: String)
    case msrRead(path: String, index: UInt32, errno: Int32)

    public var description: String {
        switch self {
        case .noInstruction:
            "this build is not for x86: there is no CPUID instruction to run"
        case let .cpuNotOnline(cpu, online):
            "CPU \(cpu) is not online (online CPUs: \(CPUList.format(online)))"
        case let .onlineListUnreadable(path, detail):
            "cannot read the online CPU list from \(path): \(detail)"
        case let .affinity(operation, cpu, errno):
            "\(operation) for CPU \(cpu) failed: \(Errno(errno))"
        case let .devCPUMissing(path):
            "\(path) does not exist: load the kernel's cpuid driver with `modprobe cpuid`, or use --source cpuid"
        case let .devCPUPermission(path):
            "\(path) is not readable: run as root (it needs CAP_SYS_RAWIO), or use --source cpuid"
        case let .devCPUOpen(path, errno):
            "cannot open \(path): \(Errno(errno))"
        case let .msrDeviceMissing(path):
            "\(path) does not exist: load the kernel's msr driver with `modprobe msr` (KVM's feature MSRs need no driver: `vcpuid kvm supported --msrs`)"
        case let .msrDevicePermission(path):
            "\(path) is not readable: run as root (it needs CAP_SYS_RAWIO)"
        case let .msrRead(path, index, errno):
            "reading MSR \(Hex.word(index)) from \(path) failed: \(Errno(errno))"
        case let .devCPURead(path, key, errno):
            "reading leaf \(key) from \(path) failed: \(Errno(errno))"
        }
    }
}
