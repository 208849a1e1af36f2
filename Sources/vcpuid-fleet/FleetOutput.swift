import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Output helpers of the fleet commands: the pretty, key-sorted JSON every `--json` of vcpuid shares, and
/// unbuffered writes to standard output and error.
enum FleetOutput {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func error(_ text: String) { write(text + "\n", to: 2) }

    /// Writes all of `text` to a file descriptor, retrying after signals.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            written += n
        }
        bytes = []
    }

    /// `2026-12-03T21:45:20Z`.
    static func date(_ date: Date) -> String { date.formatted(.iso8601) }
}
