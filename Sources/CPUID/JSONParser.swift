/// A strict JSON reader (RFC 8259) that records the line and column of every value and member name.
///
/// vcpuid reads its JSON dumps and Firecracker CPU templates with it rather than Foundation's, which reports
/// no positions. It refuses duplicate member names, unpaired surrogates and anything after the top-level value,
/// and limits nesting so that hostile input cannot exhaust the stack. A leading UTF-8 byte order mark is skipped.
public struct JSONParser {
    public static let maximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Bytes of the string being read, reused across strings that contain escapes.
    private var scratch: [UInt8] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one JSON document (UTF-8 bytes; invalid UTF-8 inside strings reads as U+FFFD).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> PositionedJSON {
        var parser = JSONParser(bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw parser.error("the end of the text after the top-level value", found: parser.describeCurrent())
        }
        return value
    }

    /// Parses one JSON document held in a string.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONSyntaxError) -> PositionedJSON in try parse(bytes) }
        }
        return try result.get()
    }

    private var position: JSONPosition { JSONPosition(line: line, column: index - lineStart + 1) }

    private func error(_ expected: String, found: String? = nil) -> JSONSyntaxError {
        JSONSyntaxError(position: position, expected: expected, found: found)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    private func describeCurrent() -> String {
        guard let byte = current else { return "the end of the text" }
        return byte >= 0x20 && byte < 0x7f ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> PositionedJSON {
        guard depth < Self.maximumDepth else { throw error("at most \(Self.maximumDepth) levels of nesting", found: "a deeper value") }
        let start = position
        guard let byte = current else { throw error("a value", found: "the end of the text") }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            return PositionedJSON(.object(try parseMembers(depth: depth)), at: start)
        case UInt8(ascii: "["):
            index += 1
            var items: [PositionedJSON] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return PositionedJSON(.array(items), at: start)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "]") { index += 1; break }
                throw error("',' or ']' in an array", found: describeCurrent())
            }
            return PositionedJSON(.array(items), at: start)
        case UInt8(ascii: "\""):
            return PositionedJSON(.string(try parseString()), at: start)
        case UInt8(ascii: "t"):
            try expectWord("true")
            return PositionedJSON(.bool(true), at: start)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return PositionedJSON(.bool(false), at: start)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return PositionedJSON(.null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return PositionedJSON(.number(try parseNumber()), at: start)
        default:
            throw error("a value", found: describeCurrent())
        }
    }

    /// The members of an object whose `{` has been read, through its `}`.
    private mutating func parseMembers(depth: Int) throws(JSONSyntaxError) -> [PositionedJSON.Member] {
        var members: [PositionedJSON.Member] = []
        /// Names seen so far, kept only once an object is large enough for a linear search to cost.
        var names: Set<String> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            let keyPosition = position
            guard current == UInt8(ascii: "\"") else { throw error("a member name in double quotes", found: describeCurrent()) }
            let key = try parseString()
            let duplicate = members.count < 16 ? members.contains(where: { $0.key == key }) : !names.insert(key).inserted
            if members.count == 15 { names = Set(members.map(\.key) + [key]) }
            guard !duplicate else {
                throw JSONSyntaxError(position: keyPosition, expected: "each member name once in an object",
                                      found: "a duplicate member \(JSONValue.quoted(key))")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else {
                throw error("':' after member name \(JSONValue.quoted(key))", found: describeCurrent())
            }
            index += 1
            skipWhitespace()
            members.append(PositionedJSON.Member(key: key, keyPosition: keyPosition, value: try parseValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { index += 1; continue }
            if current == UInt8(ascii: "}") { index += 1; return members }
            throw error("',' or '}' in an object", found: describeCurrent())
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONSyntaxError) {
        let start = index
        let matched = word.withUTF8Buffer { expected -> Bool in
            guard bytes.count - start >= expected.count else { return false }
            for k in 0..<expected.count where bytes[start + k] != expected[k] { return false }
            return true
        }
        guard matched else { throw error("'\(word)'", found: describeCurrent()) }
        index += word.utf8CodeUnitCount
    }

    /// A number in RFC 8259's grammar, as its text.
    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if skipDigits() == 0 {
            throw error("a digit", found: describeCurrent())
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw error("a digit after '.'", found: describeCurrent()) }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw error("a digit in the exponent", found: describeCurrent()) }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    /// A string whose opening quote is at `index`, through its closing quote.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        // Most strings hold no escapes: decode them straight from the input.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard let byte = current else { throw error("the closing quote of the string", found: "the end of the text") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard let escape = current else { throw error("an escape after '\\'", found: "the end of the text") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    scratch.append(contentsOf: String(try parseUnicodeEscape()).utf8)
                default:
                    index -= 1
                    throw error("an escape \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u with four hex digits", found: "\\\(describeCurrent())")
                }
            case 0..<0x20:
                throw error("no control characters inside a string (escape them)", found: describeCurrent())
            default:
                scratch.append(byte)
                index += 1
            }
        }
    }

    /// The scalar of a `\u` escape whose `\u` has been read; a high surrogate must be followed by a low one.
    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let escapeStart = position
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("a low surrogate \\u escape after the high surrogate \\u\(String(code, radix: 16))", found: describeCurrent())
            }
            index += 2
            let lowStart = position
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else {
                throw JSONSyntaxError(position: lowStart, expected: "a low surrogate (DC00 to DFFF)", found: String(low, radix: 16))
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else {
            throw JSONSyntaxError(position: escapeStart, expected: "a Unicode scalar after \\u (a low surrogate must follow a high one)",
                                  found: String(code, radix: 16))
        }
        return scalar
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = LineCursor.hexValue(byte) else {
                throw error("four hex digits after \\u", found: describeCurrent())
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
