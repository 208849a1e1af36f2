import CPUID
import X86Features

/// `msr.0x10a=0x69`, `msr.0x10a[5]=0` or `msr.0x345[11:8]=4`: a raw feature-MSR edit of a guest policy.
public struct MSRAssignment: Hashable, Sendable, CustomStringConvertible {
    public var msr: UInt32
    public var low: Int
    public var width: Int
    public var value: UInt64

    public init(msr: UInt32, low: Int = 0, width: Int = 64, value: UInt64) {
        self.msr = msr
        self.low = low
        self.width = width
        self.value = value
    }

    /// The bits the assignment writes.
    public var mask: UInt64 { (width >= 64 ? UInt64.max : (1 << UInt64(width)) - 1) << UInt64(low) }

    /// `old` with the assignment's bits replaced.
    public func applied(to old: UInt64) -> UInt64 { (old & ~mask) | (value << UInt64(low)) & mask }

    /// Whether a `--set` argument is an MSR edit rather than a CPUID register edit.
    public static func isMSRText(_ text: String) -> Bool { text.lowercased().hasPrefix("msr.") }

    /// Parses `msr.INDEX[BITS]=VALUE`; numbers are hex with `0x`, decimal otherwise.
    public init(parsing text: String) throws(RegisterAssignment.SyntaxError) {
        func fail(_ message: String) -> RegisterAssignment.SyntaxError { .init(text: text, message: message) }
        let sides = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2, sides[0].lowercased().hasPrefix("msr.") else {
            throw fail("expected msr.INDEX=VALUE, e.g. msr.0x10a=0x69 or msr.0x10a[5]=0")
        }
        var target = sides[0].dropFirst(4)
        var high = 63, low = 0
        if target.hasSuffix("]"), let open = target.lastIndex(of: "[") {
            let inside = target[target.index(after: open)..<target.index(before: target.endIndex)]
            let bounds = inside.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let first = Int(bounds[0]),
                  let last = bounds.count == 2 ? Int(bounds[1]) : first,
                  (0...63).contains(first), (0...63).contains(last), last <= first else {
                throw fail("bits \"[\(inside)]\" must be [N] or [HIGH:LOW] within 0...63")
            }
            high = first
            low = last
            target = target[..<open]
        }
        guard let index = Self.number(target).flatMap({ UInt32(exactly: $0) }) else {
            throw fail("MSR index \"\(target)\" is not a 32-bit number")
        }
        guard let value = Self.number(sides[1]) else { throw fail("value \"\(sides[1])\" is not a 64-bit number") }
        let width = high - low + 1
        guard width == 64 || value < (1 << UInt64(width)) else {
            throw fail("value \(Hex.quad(value)) does not fit in \(width) bit(s)")
        }
        self.init(msr: index, low: low, width: width, value: value)
    }

    static func number(_ text: Substring) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2).filter { $0 != "_" }, radix: 16) }
        return UInt64(text, radix: 10)
    }

    /// `msr.0x10a=0x0000000000000069`, `msr.0x10a[5]=0x0`
    public var description: String {
        let target = "msr.0x\(String(msr, radix: 16))"
        if width == 64 { return "\(target)=\(Hex.quad(value))" }
        let bits = width == 1 ? "[\(low)]" : "[\(low + width - 1):\(low)]"
        return "\(target)\(bits)=0x\(String(value, radix: 16))"
    }
}
