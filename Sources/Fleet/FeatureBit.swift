import CPUID
import X86Features

/// One named CPUID feature bit: where it is, and what Linux and QEMU call it. Fleet answers are given
/// per bit because a bit is what a guest table holds and what a baseline ANDs.
public struct FeatureBit: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var field: CPUIDField
    /// The kernel macro without its prefix, e.g. `AVX512F`.
    public var macro: String
    /// The /proc/cpuinfo name, or the macro in lower case when /proc hides the flag.
    public var linuxName: String
    /// QEMU's `-cpu` property name, when QEMU names the bit.
    public var qemuName: String?

    public init(field: CPUIDField, macro: String, linuxName: String, qemuName: String?) {
        self.field = field
        self.macro = macro
        self.linuxName = linuxName
        self.qemuName = qemuName
    }

    public func isSet(in snapshot: Snapshot) -> Bool { snapshot.isSet(field) }

    public static func < (lhs: FeatureBit, rhs: FeatureBit) -> Bool {
        (lhs.field.leaf, lhs.field.subleaf, lhs.field.register, lhs.field.low)
            < (rhs.field.leaf, rhs.field.subleaf, rhs.field.register, rhs.field.low)
    }

    /// `avx512f (QEMU avx512f)`, the form human output uses.
    public var description: String {
        guard let qemuName, qemuName != linuxName else { return linuxName }
        return "\(linuxName) (QEMU \(qemuName))"
    }
}

/// Every single-bit CPUID feature the catalogue names, indexed by field and by any of its names.
public struct FeatureBits: Sendable {
    public let all: [FeatureBit]
    private let byField: [CPUIDField: Int]
    private let byName: [String: Int]

    /// Built from the catalogue with the newest carried kernel's names and locations.
    public static let shared = FeatureBits(catalogue: .shared)

    public init(catalogue: FeatureCatalogue) {
        let newest = KernelProfile.newest
        var bits: [FeatureBit] = []
        var seen: Set<CPUIDField> = []
        for feature in catalogue.features where feature.kind == .feature {
            // The newest carried release that defines the macro (only the profiles needed are built).
            let profile = catalogue.history(of: feature).last(where: \.exists).flatMap { KernelProfile.release($0.release) } ?? newest
            let fields = feature.origin(in: profile)?.fields ?? []
            // A flag read from several places (AMD and Intel spellings) is named once, at its first field.
            guard let field = fields.first, field.isSingleBit, !seen.contains(field) else { continue }
            seen.insert(field)
            let proc = feature.procName(in: profile)
            bits.append(FeatureBit(field: field, macro: feature.name, linuxName: proc ?? feature.name.lowercased(),
                                   qemuName: feature.qemuName))
        }
        all = bits.sorted()
        var fieldIndex: [CPUIDField: Int] = [:]
        var nameIndex: [String: Int] = [:]
        for (i, bit) in all.enumerated() {
            fieldIndex[bit.field] = i
            for name in [bit.macro, bit.linuxName] + (bit.qemuName.map { [$0] } ?? []) {
                let key = Self.normalized(name)
                if nameIndex[key] == nil { nameIndex[key] = i }
            }
        }
        byField = fieldIndex
        byName = nameIndex
    }

    public func bit(at field: CPUIDField) -> FeatureBit? { byField[field].map { all[$0] } }

    /// Finds a bit by macro, /proc or QEMU name, case-insensitively, `-`, `.` and `_` alike.
    public func bit(named name: String) -> FeatureBit? {
        var key = Self.normalized(name)
        if key.hasPrefix("x86_feature_") { key.removeFirst("x86_feature_".count) }
        return byName[key].map { all[$0] }
    }

    /// The bits set in a snapshot, in CPUID order.
    public func present(in snapshot: Snapshot) -> [FeatureBit] { all.filter { $0.isSet(in: snapshot) } }

    static func normalized(_ name: String) -> String {
        String(name.lowercased().map { $0 == "-" || $0 == "." ? "_" : $0 })
    }
}
