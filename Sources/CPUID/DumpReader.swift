#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads CPUID dumps in any supported format, detecting the format unless one is named.
/// Every problem is a `DumpError` naming the file and, where there is one, the line and column.
public enum DumpReader {
    /// Files larger than this are refused before reading: the largest real multi-CPU dumps are a few MiB.
    public static let sizeLimit = 64 << 20

    /// Reads a dump from a file, or from standard input when `path` is `-`.
    public static func read(path: String, format: DumpFormat? = nil) throws(DumpError) -> Dump {
        let bytes = try readBytes(path: path)
        return try parse(bytes: bytes, name: path == "-" ? "<stdin>" : path, format: format)
    }

    /// Parses dump text held in memory; `name` is what errors and the dump's origin call it.
    public static func parse(_ text: String, name: String, format: DumpFormat? = nil) throws(DumpError) -> Dump {
        try parse(bytes: Array(text.utf8), name: name, format: format)
    }

    /// Parses dump bytes held in memory. The size limit guards reading files; bytes a caller already
    /// holds are parsed whatever their size.
    public static func parse(bytes: [UInt8], name: String, format: DumpFormat? = nil) throws(DumpError) -> Dump {
        try bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(DumpError) -> Dump in
            let chosen: DumpFormat
            if let format {
                chosen = format
            } else {
                chosen = try detectFormat(buffer, name: name)
            }
            // The line readers meet control bytes as they parse; the XML and JSON scanners check first.
            if chosen == .libvirt || chosen == .json { try checkText(buffer, name: name) }
            let cpus: [LogicalCPU]
            switch chosen {
            case .cpuidRaw: cpus = try CPUIDRawReader.parse(buffer, file: name)
            case .aida: cpus = try AIDAReader.parse(buffer, file: name)
            case .libcpuid: cpus = try LibcpuidReader.parse(buffer, file: name)
            case .libvirt: cpus = try LibvirtReader.parse(buffer, file: name)
            case .json: cpus = try JSONDumpReader.parse(buffer, file: name)
            }
            return Dump(cpus: cpus, origin: .file(path: name, format: chosen.rawValue))
        }
    }

    /// The format of dump text, judged from its first non-blank line; nil when none fits.
    public static func detectFormat(_ text: String) -> DumpFormat? {
        Array(text.utf8).withUnsafeBufferPointer { try? detectFormat($0, name: "") }
    }

    static func detectFormat(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(DumpError) -> DumpFormat {
        var lines = TextLines(bytes)
        var firstLine: TextLine?
        while let line = lines.next() {
            var c = LineCursor(bytes, line, file: name)
            c.skipBlanks()
            if c.atEnd { continue }
            firstLine = line
            if c.skip("\u{FEFF}") { c.skipBlanks() }
            if c.looksAt("<") { return .libvirt }
            if c.looksAt("{") { return .json }
            if c.looksAt("0x") || c.looksAt("CPU:") { return .cpuidRaw }
            if c.skip("CPU ") {
                if let b = c.current, b >= 48, b <= 57 { return .cpuidRaw }
            }
            if c.looksAt("CPUID") || c.looksAt("------[") || c.looksAt("CPU#") { return .aida }
            if c.looksAt("_____") { return .libcpuid }
            while let b = c.current, (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 { c.index += 1 }
            if c.current == UInt8(ascii: "[") || c.current == UInt8(ascii: "=") { return .libcpuid }
            break
        }
        guard let firstLine else { throw DumpError(file: name, kind: .empty) }
        let unknown = LineCursor(bytes, firstLine, file: name).error("")
        if case .binary = unknown.kind { throw unknown }
        throw DumpError(file: name, line: firstLine.number, column: 1, kind: .unknownFormat)
    }

    /// Rejects what no text dump contains: NUL and other control bytes.
    public static func checkText(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(DumpError) {
        for i in 0..<bytes.count {
            let b = bytes[i]
            if (b < 32 && b != 10 && b != 13 && b != 9) || b == 127 {
                throw BytePosition.error(.binary(byte: b), at: i, in: bytes, file: name)
            }
        }
    }

    /// Reads a whole file (or standard input), refusing more than `sizeLimit` bytes.
    public static func readBytes(path: String) throws(DumpError) -> [UInt8] {
        let name = path == "-" ? "<stdin>" : path
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DumpError(file: name, kind: .unreadable(Errno.describe(errno))) }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DumpError(file: name, kind: .unreadable(Errno.describe(errno))) }
        if info.st_mode & S_IFMT == S_IFDIR { throw DumpError(file: name, kind: .unreadable("it is a directory")) }
        let isRegular = info.st_mode & S_IFMT == S_IFREG
        if isRegular, info.st_size > sizeLimit {
            throw DumpError(file: name, kind: .tooLarge(bytes: Int(info.st_size), limit: sizeLimit))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(isRegular ? Int(info.st_size) + 1 : 1 << 16)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DumpError(file: name, kind: .unreadable(Errno.describe(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > sizeLimit { throw DumpError(file: name, kind: .tooLarge(bytes: bytes.count, limit: sizeLimit)) }
        }
        return bytes
    }
}
