/// A parsing position within one line, with the error vocabulary every text reader shares.
struct LineCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let line: TextLine
    let file: String
    var index: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextLine, file: String) {
        self.bytes = bytes
        self.line = line
        self.file = file
        self.index = line.start
    }

    var atEnd: Bool { index >= line.end }
    var current: UInt8? { index < line.end ? bytes[index] : nil }
    var column: Int { index - line.start + 1 }

    /// A syntax error here; when the line holds a control byte or is not UTF-8, the error says binary
    /// data instead, which is what the reader really met (lines are not pre-scanned, to keep parsing fast).
    func error(_ expected: String) -> DumpError {
        var i = line.start
        var firstHigh: Int?
        while i < line.end {
            let b = bytes[i]
            if (b < 32 && b != 9 && b != 13) || b == 127 {
                return DumpError(file: file, line: line.number, column: i - line.start + 1, kind: .binary(byte: b))
            }
            if b >= 0x80, firstHigh == nil { firstHigh = i }
            i += 1
        }
        if let high = firstHigh,
           String(validating: UnsafeBufferPointer(rebasing: bytes[line.start..<line.end]), as: UTF8.self) == nil {
            return DumpError(file: file, line: line.number, column: high - line.start + 1, kind: .binary(byte: bytes[high]))
        }
        return DumpError(file: file, line: line.number, column: column, kind: .syntax(expected: expected))
    }

    func error(_ kind: DumpError.Kind) -> DumpError {
        DumpError(file: file, line: line.number, column: column, kind: kind)
    }

    mutating func skipBlanks() {
        while index < line.end, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
    }

    /// Whether the line continues with `literal` here (case-sensitive), without consuming it.
    func looksAt(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { lit in
            guard line.end - index >= lit.count else { return false }
            for k in 0..<lit.count where bytes[index + k] != lit[k] { return false }
            return true
        }
    }

    mutating func skip(_ literal: StaticString) -> Bool {
        guard looksAt(literal) else { return false }
        index += literal.utf8CodeUnitCount
        return true
    }

    mutating func expect(_ literal: StaticString) throws(DumpError) {
        guard skip(literal) else { throw error("`\(literal)`") }
    }

    /// Hex digit values by byte; 0xff marks a byte that is not a hex digit.
    static let hexTable: [UInt8] = (0..<256).map { b in
        switch b {
        case 48...57: UInt8(b - 48)
        case 65...70: UInt8(b - 55)
        case 97...102: UInt8(b - 87)
        default: 0xff
        }
    }

    /// Eight hex digits at `offset` when they are all hex digits (the fast path of every reader).
    @inline(__always)
    static func hex8(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32? {
        var value: UInt32 = 0
        var bad: UInt8 = 0
        hexTable.withUnsafeBufferPointer { table in
            for k in 0..<8 {
                let d = table[Int(bytes[offset &+ k])]
                bad |= d & 0xf0
                value = value &<< 4 | UInt32(d & 0xf)
            }
        }
        return bad == 0 ? value : nil
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 48...57: UInt32(byte &- 48)
        case 65...70: UInt32(byte &- 55)
        case 97...102: UInt32(byte &- 87)
        default: nil
        }
    }

    /// Exactly eight hex digits (a full 32-bit register as every dump writes it).
    mutating func hexWord(_ what: String) throws(DumpError) -> UInt32 {
        guard line.end - index >= 8 else { throw error("8 hex digits for \(what), but the line ends") }
        var value: UInt32 = 0
        for k in 0..<8 {
            guard let digit = Self.hexValue(bytes[index + k]) else {
                index += k
                throw error("a hex digit in \(what)")
            }
            value = value << 4 | digit
        }
        index += 8
        if let next = current, Self.hexValue(next) != nil { throw error("exactly 8 hex digits in \(what)") }
        return value
    }

    /// One to eight hex digits.
    mutating func hexNumber(_ what: String) throws(DumpError) -> UInt32 {
        var value: UInt32 = 0
        var digits = 0
        while let byte = current, let digit = Self.hexValue(byte) {
            guard digits < 8 else { throw error("at most 8 hex digits in \(what)") }
            value = value << 4 | digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw error("a hex number for \(what)") }
        return value
    }

    /// A decimal number (at most 9 digits).
    mutating func decimal(_ what: String) throws(DumpError) -> Int {
        var value = 0
        var digits = 0
        while let byte = current, byte >= 48, byte <= 57 {
            guard digits < 9 else { throw error("a smaller number for \(what)") }
            value = value * 10 + Int(byte - 48)
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw error("a decimal number for \(what)") }
        return value
    }

    mutating func expectEnd() throws(DumpError) {
        skipBlanks()
        guard atEnd else { throw error("the end of the line") }
    }
}
