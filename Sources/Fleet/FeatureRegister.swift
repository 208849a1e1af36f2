import CPUID

/// A CPUID register that holds feature bits, and so is ANDed whole by a baseline.
public struct FeatureRegister: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var leaf: UInt32
    public var subleaf: UInt32
    public var register: Register

    public init(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register) {
        self.leaf = leaf
        self.subleaf = subleaf
        self.register = register
    }

    public var key: LeafKey { LeafKey(leaf, subleaf) }

    public static func < (lhs: FeatureRegister, rhs: FeatureRegister) -> Bool {
        (lhs.leaf, lhs.subleaf, lhs.register) < (rhs.leaf, rhs.subleaf, rhs.register)
    }

    /// `CPUID.(EAX=07H,ECX=0):EBX`.
    public var description: String {
        "CPUID.(EAX=\(String(leaf, radix: 16, uppercase: true))H,ECX=\(subleaf)):\(register)"
    }

    /// Every register the catalogue reads a named feature bit from, in CPUID order: the fixed word
    /// layout of `FeatureWords` and of the inventory's stored words.
    public static let all: [FeatureRegister] = {
        var set: Set<FeatureRegister> = []
        for bit in FeatureBits.shared.all {
            set.insert(FeatureRegister(bit.field.leaf, bit.field.subleaf, bit.field.register))
        }
        // Registers outside the catalogue that still hold only capability bits: XSAVE's supported
        // user and supervisor state components (a baseline keeps the common ones).
        set.insert(FeatureRegister(0xD, 0, .eax))
        set.insert(FeatureRegister(0xD, 0, .edx))
        set.insert(FeatureRegister(0xD, 1, .ecx))
        set.insert(FeatureRegister(0xD, 1, .edx))
        return set.sorted()
    }()

    private static let indexes: [FeatureRegister: Int] = {
        var result: [FeatureRegister: Int] = [:]
        for (i, register) in all.enumerated() { result[register] = i }
        return result
    }()

    /// The position of this register in `all`.
    public var index: Int? { Self.indexes[self] }
}
