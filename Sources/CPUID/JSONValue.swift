/// A parsed JSON value with the byte offset it started at, so that schema errors can name a position.
/// vcpuid's JSON dumps are read with this small parser rather than Foundation's, which reports no positions.
indirect enum JSONValue {
    case object([(key: String, keyOffset: Int, value: JSONValue)], offset: Int)
    case array([JSONValue], offset: Int)
    case string(String, offset: Int)
    case number(Double, text: String, offset: Int)
    case bool(Bool, offset: Int)
    case null(offset: Int)

    var offset: Int {
        switch self {
        case let .object(_, o), let .array(_, o), let .string(_, o), let .number(_, _, o), let .bool(_, o), let .null(o): o
        }
    }

    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Parses JSON text (RFC 8259) into `JSONValue`s; nesting is limited to keep hostile input from exhausting the stack.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    private var i = 0
    private static let depthLimit = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ expected: String, at offset: Int? = nil) -> DumpError {
        BytePosition.error(.syntax(expected: expected), at: offset ?? i, in: bytes, file: file)
    }

    mutating func parseDocument() throws(DumpError) -> JSONValue {
        skipSpace()
        if i + 3 <= bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF { i += 3 }
        let value = try parseValue(depth: 0)
        skipSpace()
        guard i == bytes.count else { throw error("the end of the JSON document") }
        return value
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }

    private mutating func parseValue(depth: Int) throws(DumpError) -> JSONValue {
        guard depth < Self.depthLimit else { throw error("less deeply nested JSON (at most \(Self.depthLimit) levels)") }
        skipSpace()
        guard i < bytes.count else { throw error("a JSON value, but the file ends") }
        let start = i
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(key: String, keyOffset: Int, value: JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members, offset: start) }
            while true {
                skipSpace()
                let keyOffset = i
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("a quoted member name") }
                let key = try parseString()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("`:` after member name") }
                i += 1
                let value = try parseValue(depth: depth + 1)
                members.append((key, keyOffset, value))
                skipSpace()
                guard i < bytes.count else { throw error("`,` or `}`, but the file ends") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members, offset: start) }
                throw error("`,` or `}`")
            }
        case UInt8(ascii: "["):
            i += 1
            var elements: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements, offset: start) }
            while true {
                elements.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw error("`,` or `]`, but the file ends") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements, offset: start) }
                throw error("`,` or `]`")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString(), offset: start)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true, offset: start)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false, offset: start)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null(offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            while i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: ".")
                || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") || (bytes[i] >= 48 && bytes[i] <= 57) { i += 1 }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard let value = Double(text) else { throw error("a JSON number", at: start) }
            return .number(value, text: text, offset: start)
        default:
            throw error("a JSON value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(DumpError) {
        let matched = word.withUTF8Buffer { lit -> Bool in
            guard bytes.count - i >= lit.count else { return false }
            for k in 0..<lit.count where bytes[i + k] != lit[k] { return false }
            return true
        }
        guard matched else { throw error("`\(word)`") }
        i += word.utf8CodeUnitCount
    }

    private mutating func parseString() throws(DumpError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("no control characters inside a string") }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { break }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "/"): out.append(47)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var code: UInt32 = 0
                    for _ in 0..<4 {
                        guard i < bytes.count, let d = LineCursor.hexValue(bytes[i]) else { throw error("4 hex digits after \\u") }
                        code = code << 4 | d
                        i += 1
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits)", at: i - 1)
                }
                continue
            }
            out.append(b)
            i += 1
        }
        throw error("the closing quote of the string", at: start)
    }
}
