import CPUID
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What vcpuid reads about the running Linux system besides CPUID, in one place: the kernel release
/// (uname(2)) and the kernel command line (/proc/cmdline), which decide the live Linux view.
public enum HostSystem {
    /// `uname -r`, e.g. `6.18.44-fc-v1252`; nil when uname fails.
    public static func kernelRelease() -> String? {
        var name = utsname()
        guard uname(&name) == 0 else { return nil }
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The running kernel's version; nil when the release string does not parse.
    public static func kernelVersion() -> KernelVersion? { kernelRelease().flatMap { KernelVersion($0) } }

    /// /proc/cmdline; nil when it cannot be read.
    public static func kernelCommandLine() -> String? { SystemFile.text("/proc/cmdline", limit: 1 << 16) }

    /// The feature options of the running kernel's command line (clearcpuid=, nosgx, ...).
    public static func bootOptions() -> BootOptions { BootOptions(commandLine: kernelCommandLine() ?? "") }
}
