/// The one JSON string escaper every writer uses, so that all of vcpuid's JSON spells strings alike:
/// `"` and `\` escaped, `\n` `\r` `\t` by name, other control bytes as `\u00xx`, everything else verbatim UTF-8.
public enum JSONEscaping {
    /// Per byte, its escape sequence; nil where the byte stands for itself.
    public static let escapes: [[UInt8]?] = (0..<256).map { value -> [UInt8]? in
        switch value {
        case 0x22: Array("\\\"".utf8)
        case 0x5C: Array("\\\\".utf8)
        case 0x0A: Array("\\n".utf8)
        case 0x0D: Array("\\r".utf8)
        case 0x09: Array("\\t".utf8)
        case 0..<0x20: Array("\\u00".utf8) + Array(Hex.digits(UInt32(value), count: 2).utf8)
        default: nil
        }
    }

    /// Appends `utf8` as a JSON string literal, quotes included.
    public static func appendQuoted<Bytes: Sequence>(_ utf8: Bytes, to out: inout [UInt8]) where Bytes.Element == UInt8 {
        out.append(0x22)
        for byte in utf8 {
            if let escape = escapes[Int(byte)] { out.append(contentsOf: escape) } else { out.append(byte) }
        }
        out.append(0x22)
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text.utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
