/// A bit field of a CPUID answer by coordinates alone: leaf, subleaf, register, bits [high:low].
///
/// This is how every layer above names a feature's location without this module knowing names.
public struct CPUIDField: Hashable, Sendable, CustomStringConvertible {
    public var leaf: UInt32
    public var subleaf: UInt32
    public var register: Register
    public var low: Int
    public var high: Int

    public init(_ leaf: UInt32, _ subleaf: UInt32 = 0, _ register: Register, bits high: Int, _ low: Int) {
        precondition(0 <= low && low <= high && high < 32, "bit range must lie within 0...31")
        self.leaf = leaf
        self.subleaf = subleaf
        self.register = register
        self.low = low
        self.high = high
    }

    /// A single-bit field.
    public init(_ leaf: UInt32, _ subleaf: UInt32 = 0, _ register: Register, bit: Int) {
        self.init(leaf, subleaf, register, bits: bit, bit)
    }

    public var width: Int { high - low + 1 }
    public var isSingleBit: Bool { high == low }
    public var mask: UInt32 { Self.mask(bits: high, low) }

    /// The bits `[high:low]` of a register, set; shared by every reader of register fields.
    @inline(__always)
    public static func mask(bits high: Int, _ low: Int) -> UInt32 {
        let width = high - low + 1
        return (width >= 32 ? UInt32.max : (UInt32(1) << UInt32(width)) - 1) << UInt32(low)
    }

    public func extract(from registerValue: UInt32) -> UInt32 { (registerValue & mask) >> UInt32(low) }

    public func inserting(_ fieldValue: UInt32, into registerValue: UInt32) -> UInt32 {
        (registerValue & ~mask) | ((fieldValue << UInt32(low)) & mask)
    }

    /// The SDM's notation: `CPUID.(EAX=12H,ECX=0):EAX[11]` or `CPUID.(EAX=01H):EBX[31:24]`.
    public var description: String {
        let leafText = String(leaf, radix: 16, uppercase: true)
        let padded = leafText.count < 2 ? "0" + leafText : leafText
        let inputs = SubleafRules.hasSubleaves(leaf) || subleaf != 0
            ? "(EAX=\(padded)H,ECX=\(subleaf))" : "(EAX=\(padded)H)"
        let bits = isSingleBit ? "[\(low)]" : "[\(high):\(low)]"
        return "CPUID.\(inputs):\(register)\(bits)"
    }
}
