import ArgumentParser
import CPUID
#if canImport(Glibc)
import Glibc
#endif

/// Where `dump` and `convert` put their text: standard output, or a file written atomically.
enum OutputDestination {
    static func emit(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            var bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + written, $0.count - written) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw DumpWriteError.io(path: "standard output", operation: "writing", errno: errno) }
                written += n
            }
            bytes = []
            return
        }
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw ValidationError("--output '\(path)' names no file: give a file name, or '-' for standard output")
        }
        try DumpWriter.writeAtomically(text, to: path)
    }
}
