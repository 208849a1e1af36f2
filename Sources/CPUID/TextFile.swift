#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a whole text file with system calls, so that modules need not link Foundation (and its
/// start-up cost) just to read a small file; the error is the C library's reason.
public enum TextFile {
    /// Why a file could not be read, as the C library words it (`No such file or directory (errno 2)`).
    public struct ReadError: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The bytes of the file at `path` (standard input when `path` is `-`), at most `limit` of them.
    public static func bytes(path: String, limit: Int = DumpReader.sizeLimit) throws(ReadError) -> [UInt8] {
        do {
            return try DumpReader.readBytes(path: path, limit: limit)
        } catch {
            switch error.kind {
            case let .unreadable(detail): throw ReadError(reason: detail)
            case let .tooLarge(bytes, limit): throw ReadError(reason: "it has \(bytes) bytes, more than the \(limit) bytes vcpuid reads")
            default: throw ReadError(reason: error.message)
            }
        }
    }

    /// The file's text, with invalid UTF-8 repaired (as `String(decoding:as:)` does).
    public static func string(path: String, limit: Int = DumpReader.sizeLimit) throws(ReadError) -> String {
        String(decoding: try bytes(path: path, limit: limit), as: UTF8.self)
    }
}
