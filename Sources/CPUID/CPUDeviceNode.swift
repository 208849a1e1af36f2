#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kernel's per-CPU device nodes, /dev/cpu/N/cpuid and /dev/cpu/N/msr: opening one fails the same
/// ways (driver not loaded, CPU offline, not root), and each way has its own advice.
enum CPUDeviceNode {
    case cpuid
    case msr

    /// A read-only descriptor for `path`, or the error that says what to do.
    func open(_ path: String) throws(LiveSourceError) -> Int32 {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd < 0 else { return fd }
        let code = errno
        switch (self, code) {
        case (.cpuid, ENOENT), (.cpuid, ENXIO), (.cpuid, ENODEV): throw .devCPUMissing(path: path)
        case (.cpuid, EACCES), (.cpuid, EPERM): throw .devCPUPermission(path: path)
        case (.msr, ENOENT), (.msr, ENXIO), (.msr, ENODEV): throw .msrDeviceMissing(path: path)
        case (.msr, EACCES), (.msr, EPERM): throw .msrDevicePermission(path: path)
        default: throw .devCPUOpen(path: path, errno: code)
        }
    }
}
