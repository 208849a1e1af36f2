import CPUID
import Glibc

/// The few things the report reads from the running system, with plain system calls (no Foundation, so the
/// default command starts fast).
enum ReportSystem {
    /// `uname -r`, e.g. `6.18.0-1-amd64`; nil when uname fails.
    static func kernelRelease() -> String? {
        var name = utsname()
        guard uname(&name) == 0 else { return nil }
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// A whole text file (e.g. /proc/cpuinfo, whose size stat cannot tell), read until end of file.
    static func contents(of path: String) -> Result<String, SystemFileError> {
        do {
            return .success(String(decoding: try SystemFile.read(path, limit: 64 << 20), as: UTF8.self))
        } catch {
            return .failure(error)
        }
    }
}
