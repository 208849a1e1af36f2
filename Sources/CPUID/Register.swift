/// One of the four general-purpose registers CPUID writes its answer to.
public enum Register: Int, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    case eax = 0, ebx, ecx, edx

    public var description: String {
        switch self {
        case .eax: "EAX"
        case .ebx: "EBX"
        case .ecx: "ECX"
        case .edx: "EDX"
        }
    }

    /// Accepts `eax`, `EAX`, `a` and the like, as users type them.
    public init?(name: String) {
        switch name.lowercased() {
        case "eax", "a": self = .eax
        case "ebx", "b": self = .ebx
        case "ecx", "c": self = .ecx
        case "edx", "d": self = .edx
        default: return nil
        }
    }

    public static func < (lhs: Register, rhs: Register) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The four output registers of one CPUID execution.
public struct Registers: Hashable, Sendable {
    public var eax: UInt32
    public var ebx: UInt32
    public var ecx: UInt32
    public var edx: UInt32

    public init(eax: UInt32 = 0, ebx: UInt32 = 0, ecx: UInt32 = 0, edx: UInt32 = 0) {
        self.eax = eax
        self.ebx = ebx
        self.ecx = ecx
        self.edx = edx
    }

    public static let zero = Registers()

    public var isZero: Bool { eax == 0 && ebx == 0 && ecx == 0 && edx == 0 }

    public subscript(register: Register) -> UInt32 {
        get {
            switch register {
            case .eax: eax
            case .ebx: ebx
            case .ecx: ecx
            case .edx: edx
            }
        }
        set {
            switch register {
            case .eax: eax = newValue
            case .ebx: ebx = newValue
            case .ecx: ecx = newValue
            case .edx: edx = newValue
            }
        }
    }
}
