import CPUID

/// QEMU's feature words and the lookups over them: property name (with QEMU's aliases) to bit, CPUID field
/// to bit. The table itself (`all`) is generated from an installed QEMU (QEMUFeatureWords+Table.swift).
public enum QEMUFeatureWords {
    /// QEMU's legacy property aliases (target/i386/cpu.c `x86_cpu_register_feature_bit_props` and
    /// `feat2prop`, which also turns `_` into `-`).
    public static let aliases: [String: String] = [
        "sse3": "pni", "pclmuldq": "pclmulqdq", "sse4-1": "sse4.1", "sse4-2": "sse4.2", "xd": "nx",
        "ffxsr": "fxsr-opt", "i64": "lm",
    ]

    /// A name can cover several bits (`kvmclock` is 0x40000001 EAX bits 0 and 3), as QEMU's property does.
    private static let byName: [String: [QEMUFeatureBit]] = {
        var index: [String: [QEMUFeatureBit]] = [:]
        for (w, word) in all.enumerated() {
            for (bit, name) in word.names.sorted(by: { $0.key < $1.key }) {
                index[name, default: []].append(QEMUFeatureBit(word: w, bit: bit))
            }
        }
        return index
    }()

    private static let byField: [CPUIDField: QEMUFeatureBit] = {
        var index: [CPUIDField: QEMUFeatureBit] = [:]
        for (w, word) in all.enumerated() {
            for bit in word.names.keys {
                if let field = word.field(bit: bit) { index[field] = QEMUFeatureBit(word: w, bit: bit) }
            }
        }
        return index
    }()

    /// The name as QEMU reads it: `_` becomes `-`, then aliases resolve.
    public static func canonicalName(_ name: String) -> String {
        let dashed = String(name.map { $0 == "_" ? "-" : $0 })
        return aliases[dashed] ?? dashed
    }

    /// The first bit a `-cpu` property name sets, or nil when this QEMU table has no such feature.
    public static func bit(named name: String) -> QEMUFeatureBit? { byName[canonicalName(name)]?.first }

    /// Every bit a property name sets (empty when unknown).
    public static func bits(named name: String) -> [QEMUFeatureBit] { byName[canonicalName(name)] ?? [] }

    /// The QEMU bit at a CPUID location, for the bits QEMU names.
    public static func bit(at field: CPUIDField) -> QEMUFeatureBit? { byField[field] }

    /// Every named bit, in QEMU's order.
    public static let allBits: [QEMUFeatureBit] = all.indices.flatMap { w in
        all[w].names.keys.sorted().map { QEMUFeatureBit(word: w, bit: $0) }
    }

    /// Index of the word at a location.
    public static func word(at location: QEMUFeatureWord.Location) -> Int? {
        all.firstIndex { $0.location == location }
    }
}
