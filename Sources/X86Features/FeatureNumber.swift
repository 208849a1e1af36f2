/// A Linux feature number, word * 32 + bit, as in X86_FEATURE_SGX_EDECCSSA = 11*32+18.
public struct FeatureNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var word: Int
    public var bit: Int

    public init(word: Int, bit: Int) {
        precondition(word >= 0 && (0..<32).contains(bit), "feature bit must lie within 0...31")
        self.word = word
        self.bit = bit
    }

    public init(_ value: Int) { self.init(word: value / 32, bit: value % 32) }

    public var value: Int { word * 32 + bit }

    public static func < (lhs: FeatureNumber, rhs: FeatureNumber) -> Bool { lhs.value < rhs.value }

    /// The kernel's own spelling, `11*32+18`.
    public var description: String { "\(word)*32+\(bit)" }
}

/// The kernel's x86_capability array (feature words followed by bug words) as a value.
public struct CapabilityWords: Hashable, Sendable {
    public private(set) var words: [UInt32]

    public init(count: Int) { words = Array(repeating: 0, count: count) }

    public func contains(_ feature: FeatureNumber) -> Bool {
        feature.word < words.count && words[feature.word] & (1 << UInt32(feature.bit)) != 0
    }

    public mutating func insert(_ feature: FeatureNumber) {
        grow(to: feature.word + 1)
        words[feature.word] |= 1 << UInt32(feature.bit)
    }

    public mutating func remove(_ feature: FeatureNumber) {
        guard feature.word < words.count else { return }
        words[feature.word] &= ~(1 << UInt32(feature.bit))
    }

    public subscript(word: Int) -> UInt32 {
        get { word < words.count ? words[word] : 0 }
        set {
            grow(to: word + 1)
            words[word] = newValue
        }
    }

    /// Every set feature number, in ascending order.
    public var members: [FeatureNumber] {
        var result: [FeatureNumber] = []
        for (word, value) in words.enumerated() where value != 0 {
            for bit in 0..<32 where value & (1 << UInt32(bit)) != 0 {
                result.append(FeatureNumber(word: word, bit: bit))
            }
        }
        return result
    }

    private mutating func grow(to count: Int) {
        if words.count < count { words += Array(repeating: 0, count: count - words.count) }
    }
}
