import ArgumentParser
import CPUID
#if canImport(Glibc)
import Glibc
#endif

/// The dump paths a command's arguments name, produced one at a time so that a list of a million paths
/// costs no more memory than one: files as given, directories walked in name order (hidden entries
/// skipped), then the lines of a list file ('-': standard input), read in chunks.
struct DumpPathStream {
    /// Paths and directories still to visit, the next one last.
    private var stack: [String]
    private var list: LineReader?

    init(arguments: [String], listFile: String?) throws {
        stack = arguments.reversed()
        list = try listFile.map { try LineReader(path: $0) }
    }

    mutating func next() throws -> String? {
        while true {
            if let path = stack.popLast() {
                guard let names = try Self.directoryEntries(path) else { return path }
                let prefix = path.hasSuffix("/") ? path : path + "/"
                stack.append(contentsOf: names.sorted().reversed().map { prefix + $0 })
                continue
            }
            guard var reader = list else { return nil }
            let line = try reader.next()
            list = reader
            guard let line else {
                list = nil
                return nil
            }
            let path = line.trimmingWhitespace()
            if !path.isEmpty { stack.append(path) }
        }
    }

    /// How many paths a list file holds (its non-empty lines), for a progress line's time left; nil for
    /// standard input, which cannot be read twice.
    static func count(listFile: String) -> Int? {
        guard listFile != "-", var reader = try? LineReader(path: listFile) else { return nil }
        var count = 0
        while let line = try? reader.next() {
            if !line.allSatisfy(\.isWhitespace) { count += 1 }
        }
        return count
    }

    /// The names in a directory; nil when `path` is not one.
    private static func directoryEntries(_ path: String) throws -> [String]? {
        var info = stat()
        guard path != "-", stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        guard let directory = opendir(path) else {
            throw ValidationError("cannot read the directory \(path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }
}

/// Lines of a file read 64 KiB at a time.
struct LineReader {
    private let descriptor: Int32
    private let name: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    init(path: String) throws {
        name = path == "-" ? "<stdin>" : path
        descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DumpError(file: name, kind: .unreadable(String(cString: strerror(errno)))) }
    }

    mutating func next() throws -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return line
            }
            if finished {
                guard start < buffer.count else {
                    if descriptor > 0 { close(descriptor) }
                    return nil
                }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DumpError(file: name, kind: .unreadable(String(cString: strerror(errno))))
            }
            if count == 0 { finished = true } else { buffer.append(contentsOf: chunk[0..<count]) }
        }
    }
}
