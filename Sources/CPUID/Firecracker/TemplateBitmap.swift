/// A Firecracker template bitmap: for each bit, set it to 0, set it to 1, or leave it (`x`).
///
/// Written `0b` followed by up to `width` characters of `0`, `1` or `x` (most significant first), with `_`
/// allowed as a separator; a contracted bitmap leaves its missing high bits as `x`.
public struct TemplateBitmap: Hashable, Sendable, CustomStringConvertible {
    /// The bits the bitmap decides (1 = decided).
    public var filter: UInt64
    /// The decided bits' values (only bits in `filter` matter; others are zero).
    public var value: UInt64
    /// 32 for CPUID registers, 64 for MSRs.
    public var width: Int

    public init(filter: UInt64, value: UInt64, width: Int) {
        precondition(width > 0 && width <= 64, "bitmap width must lie within 1...64")
        let widthMask = width == 64 ? UInt64.max : (UInt64(1) << UInt64(width)) - 1
        self.filter = filter & widthMask
        self.value = value & filter & widthMask
        self.width = width
    }

    /// Why a bitmap's text was refused; `offset` counts characters from the opening quote's next character.
    public struct SyntaxError: Error, Hashable, Sendable {
        public var offset: Int
        public var message: String
    }

    /// Parses `0bxx01_1x...`.
    public init(parsing text: String, width: Int) throws(SyntaxError) {
        guard text.hasPrefix("0b") else {
            throw SyntaxError(offset: 0, message: "bitmap \"\(text)\" must start with 0b")
        }
        var filter: UInt64 = 0
        var value: UInt64 = 0
        var count = 0
        for (offset, character) in text.dropFirst(2).enumerated() {
            switch character {
            case "_": continue
            case "0", "1", "x":
                count += 1
                guard count <= width else {
                    throw SyntaxError(offset: offset + 2, message: "bitmap \"\(text)\" has more than \(width) bits")
                }
                filter <<= 1
                value <<= 1
                if character != "x" {
                    filter |= 1
                    if character == "1" { value |= 1 }
                }
            default:
                throw SyntaxError(offset: offset + 2,
                                  message: "bitmap \"\(text)\" has '\(character)' at character \(offset + 3); expected 0, 1, x or _")
            }
        }
        guard count > 0 else { throw SyntaxError(offset: 2, message: "bitmap \"\(text)\" has no bits after 0b") }
        self.init(filter: filter, value: value, width: width)
    }

    /// Every bit decided: the register's whole value (`init` cuts the filter to the width).
    public static func exactly(_ value: UInt64, width: Int) -> TemplateBitmap {
        TemplateBitmap(filter: .max, value: value, width: width)
    }

    /// The register value after applying the bitmap to `original`.
    public func applied(to original: UInt64) -> UInt64 { (original & ~filter) | (value & filter) }

    /// Whether `registerValue` agrees with every decided bit.
    public func matches(_ registerValue: UInt64) -> Bool { registerValue & filter == value }

    /// The full-width spelling, `0b` and one character per bit.
    public var description: String {
        var text = "0b"
        for bit in stride(from: width - 1, through: 0, by: -1) {
            let mask = UInt64(1) << UInt64(bit)
            text += filter & mask == 0 ? "x" : (value & mask == 0 ? "0" : "1")
        }
        return text
    }
}
