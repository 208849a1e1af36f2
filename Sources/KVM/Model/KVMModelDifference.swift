import CPUID

/// One place where a live KVM_GET_SUPPORTED_CPUID table and the model's prediction disagree.
public struct KVMModelDifference: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// Both have the entry; these bits differ.
        case bits
        /// Only the live table has the entry.
        case onlyLive = "only-live"
        /// Only the model has the entry.
        case onlyModel = "only-model"
        /// The entries agree on values but not on the index-significant flag.
        case flag
    }

    public var kind: Kind
    public var key: LeafKey
    public var register: Register?
    public var live: UInt32
    public var model: UInt32
    /// The differing bits, with the model's rule for each group of them.
    public var rules: [KVMFieldRule]

    public var description: String {
        switch kind {
        case .bits:
            let reg = register.map { "\($0)" } ?? "?"
            return "\(key) \(reg): live \(Hex.word(live)), model \(Hex.word(model)) (differ \(Hex.word(live ^ model)))"
        case .onlyLive: return "\(key): only in the live table"
        case .onlyModel: return "\(key): only in the model"
        case .flag: return "\(key): the index-significant flag differs"
        }
    }
}

extension SupportedPrediction {
    /// Compares a live supported table with this prediction, entry by entry and bit by bit.
    public func differences(from live: Snapshot) -> [KVMModelDifference] {
        var result: [KVMModelDifference] = []
        let keys = Set(live.keys).union(snapshot.keys).sorted()
        for key in keys {
            let liveEntry = live.entry(key.leaf, key.subleaf)
            let modelEntry = snapshot.entry(key.leaf, key.subleaf)
            guard let liveEntry else {
                result.append(KVMModelDifference(kind: .onlyModel, key: key, register: nil, live: 0, model: 0,
                                                 rules: []))
                continue
            }
            guard let modelEntry else {
                result.append(KVMModelDifference(kind: .onlyLive, key: key, register: nil, live: 0, model: 0,
                                                 rules: []))
                continue
            }
            var differs = false
            for register in Register.allCases {
                let a = liveEntry.registers[register]
                let b = modelEntry.registers[register]
                guard a != b else { continue }
                differs = true
                let bits = a ^ b
                let rules = rules(key.leaf, key.subleaf, register).compactMap { item -> KVMFieldRule? in
                    let mask = item.mask & bits
                    return mask == 0 ? nil : KVMFieldRule(mask: mask, rule: item.rule)
                }
                result.append(KVMModelDifference(kind: .bits, key: key, register: register, live: a, model: b,
                                                 rules: rules))
            }
            if !differs, liveEntry.significantIndex != modelEntry.significantIndex {
                result.append(KVMModelDifference(kind: .flag, key: key, register: nil, live: 0, model: 0, rules: []))
            }
        }
        return result
    }
}
