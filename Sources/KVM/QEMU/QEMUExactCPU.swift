import CPUID

/// A guest table as a QEMU named model plus edits: the base model closest to the table, `+feature`/`-feature`
/// for every QEMU-named bit that differs, and the identity properties (`level`, `xlevel`, `family`, `model`,
/// `stepping`, `vendor`, `model-id`) that differ — so that QEMU's guest sees the table's feature bits.
///
/// The rule for the base: among QEMU's named models (versioned names; with `libvirtOnly`, the names libvirt
/// knows) of the table's vendor, the one with the fewest differing feature bits, then the fewest removals;
/// `qemu64` (with `vendor=`) when QEMU has no model of that vendor. Bits QEMU or KVM decide themselves are
/// not compared: `hypervisor`, the KVM paravirtual leaf 0x40000001 and the XSAVE component words.
public struct QEMUExactCPU: Hashable, Sendable {
    public var base: QEMUCPUModel
    public var enable: [QEMUFeatureBit]
    public var disable: [QEMUFeatureBit]
    /// `name=value` in QEMU's spelling, in a fixed order.
    public var properties: [QEMUCPUSpec.Property]
    /// Table bits QEMU has no property for (they cannot be given to QEMU's guest).
    public var unnamed: [String]

    /// The `-cpu` argument: `EPYC-Rome-v2,+x,-y,level=16,...`. QEMU splits it at every comma (strtok), so a
    /// comma in the brand string cannot be given and is left out (`hasLostCommas`).
    public var argument: String {
        var parts = [base.name]
        parts += enable.map { "+" + $0.name }
        parts += disable.map { "-" + $0.name }
        parts += properties.map { "\($0.name)=\($0.value.withoutCommas())" }
        return parts.joined(separator: ",")
    }

    /// Whether a property value had a comma QEMU's -cpu syntax cannot carry.
    public var hasLostCommas: Bool { properties.contains { $0.value.contains(",") } }

    /// Whether a bit takes part in the comparison.
    public static func isCompared(_ bit: QEMUFeatureBit) -> Bool {
        guard !bit.name.isEmpty, bit.name != "hypervisor" else { return false }
        if case let .cpuid(leaf, _, _) = bit.featureWord.location, leaf == 0x4000_0001 { return false }
        return true
    }

    /// The QEMU-named bits a table has; MSR words only where the table sampled the MSR.
    public static func bits(of table: Snapshot) -> (bits: Set<QEMUFeatureBit>, msrWords: Set<Int>) {
        var bits: Set<QEMUFeatureBit> = []
        var msrWords: Set<Int> = []
        for bit in QEMUFeatureWords.allBits where isCompared(bit) {
            switch bit.featureWord.location {
            case let .cpuid(leaf, subleaf, register):
                let maximum = leaf >= 0x8000_0000 ? table.maxExtendedLeaf : table.maxBasicLeaf
                guard leaf <= maximum || leaf < 0x8000_0000 && leaf == 0 else { continue }
                if table.value(leaf, subleaf ?? 0, register) & (1 << UInt32(bit.bit)) != 0 { bits.insert(bit) }
            case let .msr(index):
                guard case let .value(value)? = table.msr(index) else { continue }
                msrWords.insert(bit.word)
                if value & (1 << UInt64(bit.bit)) != 0 { bits.insert(bit) }
            }
        }
        return (bits, msrWords)
    }

    public init(table: Snapshot, models: QEMUModelTable, libvirtOnly: Bool = false) {
        let (target, msrWords) = Self.bits(of: table)
        func compared(_ bits: Set<QEMUFeatureBit>) -> Set<QEMUFeatureBit> {
            bits.filter { bit in
                guard Self.isCompared(bit) else { return false }
                if case .msr = bit.featureWord.location { return msrWords.contains(bit.word) }
                return true
            }
        }
        let vendor = Self.vendorString(table)
        var candidates = models.namedModels.filter { model in
            (libvirtOnly ? LibvirtCPUMap.hasModel(model.name) : model.aliasOf == nil) && model.vendor == vendor
        }
        if candidates.isEmpty, let fallback = models.model(named: libvirtOnly ? "qemu64" : "qemu64-v1") ?? models.model(named: "qemu64") {
            candidates = [fallback]
        }
        var best: (model: QEMUCPUModel, add: [QEMUFeatureBit], remove: [QEMUFeatureBit])?
        for model in candidates {
            let has = compared(model.featureBits)
            let add = target.subtracting(has).sorted()
            let remove = has.subtracting(target).sorted()
            if let current = best {
                let a = (add.count + remove.count, remove.count)
                let b = (current.add.count + current.remove.count, current.remove.count)
                if a >= b { continue }
            }
            best = (model, add, remove)
        }
        let chosen = best ?? (QEMUCPUModel(name: "qemu64", vendor: "", family: 0, model: 0, stepping: 0, level: 0,
                                           xlevel: 0, modelID: "", features: []), target.sorted(), [])
        base = chosen.model
        enable = chosen.add
        disable = chosen.remove
        properties = Self.identity(of: table, against: chosen.model)
        unnamed = []
    }

    /// The identity properties where the table differs from the model.
    static func identity(of table: Snapshot, against model: QEMUCPUModel) -> [QEMUCPUSpec.Property] {
        var properties: [QEMUCPUSpec.Property] = []
        if table.maxBasicLeaf != model.level { properties.append(.init(name: "level", value: "\(table.maxBasicLeaf)")) }
        if table.maxExtendedLeaf != model.xlevel && table.maxExtendedLeaf >= 0x8000_0000 {
            properties.append(.init(name: "xlevel", value: "\(table.maxExtendedLeaf)"))
        }
        let eax = table.value(1, 0, .eax)
        let baseFamily = Int((eax >> 8) & 0xF)
        let family = baseFamily == 0xF ? baseFamily + Int((eax >> 20) & 0xFF) : baseFamily
        let modelNumber = baseFamily == 0x6 || baseFamily == 0xF ? Int((eax >> 16) & 0xF) << 4 | Int((eax >> 4) & 0xF)
            : Int((eax >> 4) & 0xF)
        let stepping = Int(eax & 0xF)
        if eax != 0 {
            if family != model.family { properties.append(.init(name: "family", value: "\(family)")) }
            if modelNumber != model.model { properties.append(.init(name: "model", value: "\(modelNumber)")) }
            if stepping != model.stepping { properties.append(.init(name: "stepping", value: "\(stepping)")) }
        }
        let vendor = Self.vendorString(table)
        if !vendor.isEmpty, vendor != model.vendor, vendor.utf8.count == 12 {
            properties.append(.init(name: "vendor", value: vendor))
        }
        if let brand = brandString(table), brand != model.modelID {
            properties.append(.init(name: "model-id", value: brand))
        }
        return properties
    }

    /// Leaf 0's identification string (EBX, EDX, ECX).
    public static func vendorString(_ table: Snapshot) -> String {
        var bytes: [UInt8] = []
        for register in [Register.ebx, .edx, .ecx] {
            let value = table.value(0, 0, register)
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
        }
        return bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) ? String(decoding: bytes, as: UTF8.self) : ""
    }

    /// The brand string (0x80000002-4), trimmed; nil when the table has none.
    static func brandString(_ table: Snapshot) -> String? {
        guard table.maxExtendedLeaf >= 0x8000_0004 else { return nil }
        var bytes: [UInt8] = []
        for leaf: UInt32 in 0x8000_0002...0x8000_0004 {
            for register in Register.allCases {
                let value = table.value(leaf, 0, register)
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
            }
        }
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        return trimmed.isEmpty || !trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) ? nil : trimmed
    }
}

extension String {
    fileprivate func withoutCommas() -> String { String(filter { $0 != "," }) }
}
