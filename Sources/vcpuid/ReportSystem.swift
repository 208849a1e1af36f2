import Glibc

/// The few things the report reads from the running system, with plain system calls (no Foundation, so the
/// default command starts fast).
enum ReportSystem {
    /// Why a file could not be read: its path and the errno text.
    struct ReadError: Error, CustomStringConvertible {
        var path: String
        var errno: Int32

        var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
    }

    /// `uname -r`, e.g. `6.18.0-1-amd64`; nil when uname fails.
    static func kernelRelease() -> String? {
        var name = utsname()
        guard uname(&name) == 0 else { return nil }
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// A whole text file (e.g. /proc/cpuinfo, whose size stat cannot tell), read until end of file.
    static func contents(of path: String) -> Result<String, ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadError(path: path, errno: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(path: path, errno: errno))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }
}
