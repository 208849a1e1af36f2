/// A JSON value that remembers where it was read, so that a template error can name line and column.
///
/// Objects keep their members in file order; writing them back keeps that order, which is what makes a
/// Firecracker template round trip byte for byte.
public indirect enum TemplateJSON: Hashable, Sendable {
    case object([Member])
    case array([TemplateJSON])
    case string(String)
    /// The number's text as written, so that nothing is lost to floating point.
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: TemplateJSON
        public init(_ key: String, _ value: TemplateJSON) {
            self.key = key
            self.value = value
        }
    }

    /// A 1-based line and column in the source text.
    public struct Position: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
        public var description: String { "\(line):\(column)" }
    }

    /// What the value is, for messages: `an object`, `a string`, ...
    public var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    // MARK: writing

    /// Pretty JSON with two-space indentation, one member per line, and a final newline.
    public func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 2)
        let closing = String(repeating: " ", count: indent)
        switch self {
        case let .object(members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += pad + Self.quoted(member.key) + ": "
                member.value.write(into: &out, indent: indent + 2)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += closing + "}"
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closing + "]"
        case let .string(text): out += Self.quoted(text)
        case let .number(text): out += text
        case let .bool(value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A parsed JSON value together with the positions of every value inside it.
public struct PositionedJSON: Sendable {
    public var value: TemplateJSON
    public var position: TemplateJSON.Position
    /// Children in the same order as the value's members or items.
    public var children: [PositionedJSON]

    /// The member's value with this key, if the value is an object that has it.
    public func member(_ key: String) -> PositionedJSON? {
        guard case let .object(members) = value else { return nil }
        guard let index = members.firstIndex(where: { $0.key == key }) else { return nil }
        return children[index]
    }
}

/// Why JSON text could not be read: what was expected and where.
public struct JSONSyntaxError: Error, Hashable, Sendable {
    public var position: TemplateJSON.Position
    public var message: String
}

/// A small strict JSON reader (RFC 8259) that records line and column for every value.
struct TemplateJSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private static let maximumDepth = 256

    init(_ text: String) { bytes = Array(text.utf8) }

    static func parse(_ text: String) throws(JSONSyntaxError) -> PositionedJSON {
        var parser = TemplateJSONParser(text)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("expected the end of the text after the top-level value") }
        return value
    }

    private var position: TemplateJSON.Position { .init(line: line, column: index - lineStart + 1) }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(position: position, message: message) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current {
            switch byte {
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
        return byte >= 0x20 && byte < 0x7f ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> PositionedJSON {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        let start = position
        guard let byte = current else { throw error("expected a value, found the end of the text") }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            var members: [TemplateJSON.Member] = []
            var children: [PositionedJSON] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return PositionedJSON(value: .object([]), position: start, children: [])
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes, found \(describeCurrent())") }
                let key = try parseString()
                if members.contains(where: { $0.key == key }) {
                    throw JSONSyntaxError(position: position, message: "duplicate member \"\(key)\"")
                }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after member name \"\(key)\", found \(describeCurrent())") }
                index += 1
                skipWhitespace()
                let child = try parseValue(depth: depth + 1)
                members.append(.init(key, child.value))
                children.append(child)
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "}") { index += 1; break }
                throw error("expected ',' or '}' in an object, found \(describeCurrent())")
            }
            return PositionedJSON(value: .object(members), position: start, children: children)
        case UInt8(ascii: "["):
            index += 1
            var items: [TemplateJSON] = []
            var children: [PositionedJSON] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return PositionedJSON(value: .array([]), position: start, children: [])
            }
            while true {
                skipWhitespace()
                let child = try parseValue(depth: depth + 1)
                items.append(child.value)
                children.append(child)
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "]") { index += 1; break }
                throw error("expected ',' or ']' in an array, found \(describeCurrent())")
            }
            return PositionedJSON(value: .array(items), position: start, children: children)
        case UInt8(ascii: "\""):
            return PositionedJSON(value: .string(try parseString()), position: start, children: [])
        case UInt8(ascii: "t"):
            try expectWord("true")
            return PositionedJSON(value: .bool(true), position: start, children: [])
        case UInt8(ascii: "f"):
            try expectWord("false")
            return PositionedJSON(value: .bool(false), position: start, children: [])
        case UInt8(ascii: "n"):
            try expectWord("null")
            return PositionedJSON(value: .null, position: start, children: [])
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return PositionedJSON(value: .number(try parseNumber()), position: start, children: [])
        default:
            throw error("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        for expected in word.utf8 {
            guard current == expected else { throw error("expected '\(word)', found \(describeCurrent())") }
            index += 1
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        func digits(_ parser: inout TemplateJSONParser) -> Int {
            var count = 0
            while let byte = parser.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                parser.index += 1
                count += 1
            }
            return count
        }
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw error("expected a digit, found \(describeCurrent())")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw error("expected a digit after '.', found \(describeCurrent())") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("expected a digit in the exponent, found \(describeCurrent())") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush(_ run: inout [UInt8], into scalars: inout String.UnicodeScalarView) {
            if !run.isEmpty {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll(keepingCapacity: true)
            }
        }
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                flush(&run, into: &scalars)
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(&run, into: &scalars)
                index += 1
                guard let escape = current else { throw error("unterminated escape in a string") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{c}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("expected a low surrogate \\u escape after a high surrogate")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate \\u\(String(low, radix: 16))") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = UnicodeScalar(code) else { throw error("\\u escape is not a Unicode scalar") }
                    scalars.append(scalar)
                default:
                    index -= 1
                    throw error("unknown escape \\\(describeCurrent())")
                }
            case 0..<0x20:
                throw error("control character \(describeCurrent()) inside a string; escape it")
            default:
                run.append(byte)
                index += 1
            }
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else {
                throw error("expected four hex digits after \\u, found \(describeCurrent())")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
