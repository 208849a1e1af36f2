#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a file could not be read or written: its path, and the errno or the limit behind it.
public struct SystemFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case system(operation: String, Errno)
        case directory
        case tooLarge(bytes: Int, limit: Int)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// What went wrong, without the path (callers that name the file themselves use this).
    public var detail: String {
        switch reason {
        case let .system(operation, errno): operation == "open" || operation == "read" ? errno.description : "\(operation): \(errno)"
        case .directory: "it is a directory"
        case let .tooLarge(bytes, limit): "at least \(bytes) bytes, more than the \(limit / (1 << 20)) MiB limit"
        }
    }

    public var description: String { "cannot read \(path): \(detail)" }
}

/// The project's file I/O on plain system calls (no Foundation, so tools start fast): one bounded reader
/// and one write-all loop, each retrying EINTR and naming the errno when it fails.
public enum SystemFile {
    /// A whole file, or standard input for `-`; refuses more than `limit` bytes, before reading when stat knows the size.
    public static func read(_ path: String, limit: Int) throws(SystemFileError) -> [UInt8] {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemFileError(path: path, reason: .system(operation: "open", .current)) }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemFileError(path: path, reason: .system(operation: "fstat", .current)) }
        if info.st_mode & S_IFMT == S_IFDIR { throw SystemFileError(path: path, reason: .directory) }
        let isRegular = info.st_mode & S_IFMT == S_IFREG
        if isRegular, info.st_size > limit {
            throw SystemFileError(path: path, reason: .tooLarge(bytes: Int(info.st_size), limit: limit))
        }
        var bytes: [UInt8] = []
        if isRegular, info.st_size > 0 {
            // The usual case, a dump file: one read straight into an array of the file's size plus one byte (a
            // short read of a regular file is its end), no scratch buffer; a file that grew goes on below.
            let size = Int(info.st_size)
            var failure: Int32 = 0
            bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
                while count < buffer.count {
                    let got = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if got < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    count += got
                    if got == 0 || count <= size { return }
                }
            }
            if failure != 0 { throw SystemFileError(path: path, reason: .system(operation: "read", Errno(failure))) }
            if bytes.count <= size { return bytes }
        } else {
            bytes.reserveCapacity(1 << 16)
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemFileError(path: path, reason: .system(operation: "read", .current))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw SystemFileError(path: path, reason: .tooLarge(bytes: bytes.count, limit: limit)) }
        }
        return bytes
    }

    /// A small text file such as /proc/cmdline or a /sys attribute; nil when it cannot be read.
    public static func text(_ path: String, limit: Int = 1 << 20) -> String? {
        (try? read(path, limit: limit)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes every byte, retrying short writes and EINTR.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws(Errno) {
        guard let start = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, start + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw .current
            }
            written += n
        }
    }
}
