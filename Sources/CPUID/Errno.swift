#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An errno value with its symbolic name and the C library's message, so that every error vcpuid
/// prints names both: `No such file or directory (ENOENT)`, as the man pages are searched.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The calling thread's errno, right after a failed system call.
    public static var current: Errno { Errno(errno) }

    /// `ENOENT`, `EACCES`, ...; `errno N` for a value without a name here.
    public var name: String { Self.names[code] ?? "errno \(code)" }

    /// strerror's text.
    public var message: String { strerror(code).map { String(cString: $0) } ?? "unknown error" }

    public var description: String { "\(message) (\(name))" }

    private static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EINTR: "EINTR", EIO: "EIO", ENXIO: "ENXIO", E2BIG: "E2BIG",
        EBADF: "EBADF", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT",
        EBUSY: "EBUSY", EEXIST: "EEXIST", ENODEV: "ENODEV", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR",
        EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", ENOTTY: "ENOTTY", EFBIG: "EFBIG",
        ENOSPC: "ENOSPC", EROFS: "EROFS", EPIPE: "EPIPE", ERANGE: "ERANGE", ENOSYS: "ENOSYS",
        EOPNOTSUPP: "EOPNOTSUPP", ENOEXEC: "ENOEXEC", ESRCH: "ESRCH",
    ]
}
