/// Where a CPUID answer comes from: the leaf (EAX input) and subleaf (ECX input).
public struct LeafKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var leaf: UInt32
    public var subleaf: UInt32

    public init(_ leaf: UInt32, _ subleaf: UInt32 = 0) {
        self.leaf = leaf
        self.subleaf = subleaf
    }

    public static func < (lhs: LeafKey, rhs: LeafKey) -> Bool {
        lhs.leaf != rhs.leaf ? lhs.leaf < rhs.leaf : lhs.subleaf < rhs.subleaf
    }

    /// `0x00000007.0x00`, the form used throughout vcpuid's output.
    public var description: String { "\(Hex.word(leaf)).\(Hex.byte(subleaf))" }
}

/// Hex formatting shared by every writer, so that all output spells numbers alike.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `0x0000abcd`: eight lower-case digits with prefix.
    public static func word(_ value: UInt32) -> String { "0x" + digits(value, count: 8) }

    /// `0x0a`: at least two digits with prefix (wider values keep all their digits).
    public static func byte(_ value: UInt32) -> String {
        value <= 0xff ? "0x" + digits(value, count: 2) : "0x" + String(value, radix: 16)
    }

    /// Exactly `count` lower-case hex digits without prefix.
    public static func digits(_ value: UInt32, count: Int) -> String { digits(UInt64(value), count: count) }

    /// `0x000000000c0a0ceb`: sixteen lower-case digits with prefix, the width of an MSR.
    public static func quad(_ value: UInt64) -> String { "0x" + digits(value, count: 16) }

    /// Exactly `count` lower-case hex digits of a 64-bit value, without prefix.
    public static func digits(_ value: UInt64, count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        var v = value
        for i in stride(from: count - 1, through: 0, by: -1) {
            bytes[i] = digits[Int(v & 0xf)]
            v >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
