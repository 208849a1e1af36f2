/// What reading one model-specific register gave: a 64-bit value, or a fault (the MSR is not
/// implemented or not readable; AIDA64 prints `< FAILED >`). A fault is a fact about the CPU, so it is
/// kept apart from "not sampled", which is the absence of an `MSR` in a snapshot.
public enum MSRValue: Hashable, Sendable, CustomStringConvertible {
    case value(UInt64)
    case faulted

    /// The value, or nil when the read faulted.
    public var bits: UInt64? {
        if case let .value(bits) = self { return bits }
        return nil
    }

    public var description: String {
        switch self {
        case let .value(bits): Hex.quad(bits)
        case .faulted: "read faulted"
        }
    }
}

/// One model-specific register of one logical CPU: its index (the ECX of RDMSR) and what reading it gave.
public struct MSR: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var index: UInt32
    public var value: MSRValue

    public init(_ index: UInt32, _ value: MSRValue) {
        self.index = index
        self.value = value
    }

    public static func < (lhs: MSR, rhs: MSR) -> Bool { lhs.index < rhs.index }

    public var description: String { "MSR 0x\(Hex.digits(index, count: 8)) = \(value)" }
}
