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

    /// Reads a dump from a file, or from standard input when `path` is `-`. `base` supplies what a
    /// Firecracker template leaves unspecified (bits marked `x`, registers and MSRs it does not name).
    public static func read(path: String, format: DumpFormat? = nil, base: Snapshot? = nil) throws(DumpError) -> Dump {
        let bytes = try readBytes(path: path)
        return try parse(bytes: bytes, name: path == "-" ? "<stdin>" : path, format: format, base: base)
    }

    /// Parses dump text held in memory; `name` is what errors and the dump's origin call it.
    public static func parse(_ text: String, name: String, format: DumpFormat? = nil,
                             base: Snapshot? = nil) throws(DumpError) -> Dump {
        try parse(bytes: Array(text.utf8), name: name, format: format, base: base)
    }

    /// Parses dump bytes held in memory. The size limit guards reading files; bytes a caller already
    /// holds are parsed whatever their size.
    public static func parse(bytes: [UInt8], name: String, format: DumpFormat? = nil,
                             base: Snapshot? = nil) throws(DumpError) -> Dump {
        try TextEncoding.normalized(bytes).withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(DumpError) -> Dump in
            let chosen: DumpFormat
            if let format {
                chosen = format
            } else {
                chosen = try FormatDetection.detect(buffer, name: name)
            }
            // The line readers meet control bytes as they parse; the XML and JSON scanners check first.
            if chosen == .libvirt || chosen == .json || chosen == .firecracker { try checkText(buffer, name: name) }
            let cpus: [LogicalCPU]
            switch chosen {
            case .cpuidRaw: cpus = try CPUIDRawReader.parse(buffer, file: name)
            case .aida: cpus = try AIDAReader.parse(buffer, file: name)
            case .libcpuid: cpus = try LibcpuidReader.parse(buffer, file: name)
            case .libvirt: cpus = try LibvirtReader.parse(buffer, file: name)
            case .json: cpus = try JSONDumpReader.parse(buffer, file: name)
            case .firecracker: cpus = try FirecrackerDumpReader.parse(buffer, file: name, base: base)
            }
            return Dump(cpus: cpus, origin: .file(path: name, format: chosen))
        }
    }

    /// The format of dump text, judged from its lines; nil when none fits.
    public static func detectFormat(_ text: String) -> DumpFormat? {
        Array(text.utf8).withUnsafeBufferPointer { try? FormatDetection.detect($0, name: "") }
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
        do {
            return try SystemFile.read(path, limit: sizeLimit)
        } catch {
            if case let .tooLarge(bytes, limit) = error.reason { throw DumpError(file: name, kind: .tooLarge(bytes: bytes, limit: limit)) }
            throw DumpError(file: name, kind: .unreadable(error.detail))
        }
    }
}
