import CPUID

/// The feature registers of one CPU (or of a baseline) in `FeatureRegister.all` order: the part of CPUID
/// that ANDs, compares and is stored per host.
public struct FeatureWords: Hashable, Sendable {
    public var values: [UInt32]

    public init(values: [UInt32]) {
        precondition(values.count == FeatureRegister.all.count, "one value per feature register")
        self.values = values
    }

    /// Every bit set: the identity of AND.
    public static var allOnes: FeatureWords {
        FeatureWords(values: Array(repeating: .max, count: FeatureRegister.all.count))
    }

    /// Reads the registers from a snapshot; a leaf above the snapshot's maximum reads as zero, as a
    /// guest reading it would not see those bits either.
    public init(_ snapshot: Snapshot) {
        let maxBasic = snapshot.maxBasicLeaf
        let maxExtended = snapshot.maxExtendedLeaf
        values = FeatureRegister.all.map { register in
            if register.leaf < 0x4000_0000, register.leaf > maxBasic { return 0 }
            if register.leaf >= 0x8000_0000, register.leaf < 0xC000_0000, register.leaf > maxExtended { return 0 }
            return snapshot.value(register.leaf, register.subleaf, register.register)
        }
    }

    public func contains(_ field: CPUIDField) -> Bool {
        guard let index = FeatureRegister(field.leaf, field.subleaf, field.register).index else { return false }
        return values[index] & field.mask != 0
    }

    public mutating func formIntersection(_ other: FeatureWords) {
        for i in values.indices { values[i] &= other.values[i] }
    }

    public mutating func formUnion(_ other: FeatureWords) {
        for i in values.indices { values[i] |= other.values[i] }
    }

    public mutating func remove(_ field: CPUIDField) {
        guard let index = FeatureRegister(field.leaf, field.subleaf, field.register).index else { return }
        values[index] &= ~field.mask
    }

    /// Little-endian bytes, four per register: the inventory's stored form.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(values.count * 4)
        for value in values {
            for shift in stride(from: 0, to: 32, by: 8) { result.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        return result
    }

    /// Reads the stored form; registers added to the layout since the bytes were written read as zero.
    public init(bytes: [UInt8]) {
        var result = Array(repeating: UInt32(0), count: FeatureRegister.all.count)
        for i in result.indices where (i + 1) * 4 <= bytes.count {
            result[i] = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i * 4 + $1]) << (8 * UInt32($1)) }
        }
        values = result
    }
}
