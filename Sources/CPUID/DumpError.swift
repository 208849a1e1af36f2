/// Why a dump could not be read: what went wrong, in which file, and where.
public struct DumpError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The file could not be opened or read.
        case unreadable(String)
        /// The file is larger than `DumpReader.sizeLimit`; refused before reading.
        case tooLarge(bytes: Int, limit: Int)
        /// Nothing but whitespace, or no CPU with any entry.
        case empty
        /// A control byte that no text dump contains.
        case binary(byte: UInt8)
        /// The text does not match the format; `expected` says what should have been there.
        case syntax(expected: String)
        /// The same (leaf, subleaf) twice for one CPU, with different registers.
        case duplicateEntry(LeafKey, cpu: Int, firstLine: Int)
        /// The same MSR twice for one CPU, with different values.
        case duplicateMSR(UInt32, cpu: Int, firstLine: Int)
        /// A CPU the dump does not hold was asked for.
        case noSuchCPU(Int, available: [Int])
        /// The same CPU number twice.
        case duplicateCPU(Int, firstLine: Int)
        /// A libcpuid key this reader does not know.
        case unknownKey(String)
        /// A dump of another architecture (libcpuid's ARM register dumps).
        case notX86(String)
        /// No format could be recognized; one line per format tried, saying why it did not fit.
        case unknownFormat(tried: [String])
        /// The text is well-formed but its content is refused; the message is a whole sentence
        /// (a Firecracker template's schema, a bitmap that leaves bits unspecified with no base).
        case invalid(String)
    }

    public var file: String
    /// 1-based line, when the problem has a position.
    public var line: Int?
    /// 1-based column (in bytes), when the problem has one.
    public var column: Int?
    public var kind: Kind

    public init(file: String, line: Int? = nil, column: Int? = nil, kind: Kind) {
        self.file = file
        self.line = line
        self.column = column
        self.kind = kind
    }

    public var message: String {
        switch kind {
        case let .unreadable(detail): "cannot read: \(detail)"
        case let .tooLarge(bytes, limit): "at least \(bytes) bytes, more than the \(limit / (1 << 20)) MiB limit (CPUID dumps, scenarios and templates are far smaller); refused"
        case .empty: "no CPUID entries (an empty file, or headers without entries): expected a CPUID dump"
        case let .binary(byte): "binary data (byte 0x\(Hex.digits(UInt32(byte), count: 2))): expected a text CPUID dump"
        case let .syntax(expected): "expected \(expected)"
        case let .duplicateEntry(key, cpu, firstLine): "conflicting duplicate entry for leaf \(key) on CPU \(cpu) (first given on line \(firstLine) with other registers)"
        case let .duplicateMSR(index, cpu, firstLine): "conflicting duplicate MSR \(Hex.word(index)) on CPU \(cpu) (first given on line \(firstLine) with another value)"
        case let .noSuchCPU(cpu, available): "has no CPU \(cpu) (it has \(CPUList.format(available)))"
        case let .duplicateCPU(cpu, firstLine): "CPU \(cpu) appears twice (first header on line \(firstLine))"
        case let .unknownKey(key): "unknown libcpuid key `\(key)`: expected one of \(LibcpuidReader.knownKeys.joined(separator: ", "))"
        case let .notX86(detail): "not an x86 CPUID dump: \(detail)"
        case let .unknownFormat(tried):
            "unrecognized dump format (name one with --input-format); tried:"
                + tried.map { "\n  " + $0 }.joined()
        case let .invalid(detail): detail
        }
    }

    /// `file:line:column: message`, the form compilers use so that editors can jump to it.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let line = line, line > 0, let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
