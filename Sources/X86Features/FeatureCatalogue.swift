import CPUID

/// Every feature and bug macro of the carried kernels, with lookups by any of their names:
/// macro (`SGX_EDECCSSA`, `X86_FEATURE_SGX_EDECCSSA`), /proc/cpuinfo (`sgx_edeccssa`, any kernel's
/// naming rule) and QEMU (`sgx-edeccssa`), all case-insensitive.
public struct FeatureCatalogue: Sendable {
    /// Features then bugs, each in number order with the newest release's macros first (removed ones last).
    public let features: [Feature]
    private let byKey: [String: Int]

    /// Built from the span tables alone: no kernel profile is built for it.
    public static let shared = FeatureCatalogue()

    init() {
        var list: [Feature] = []
        var keys: [String: Int] = [:]
        var procNames: [(String, Int)] = []
        for kind in [Feature.Kind.feature, .bug] {
            let spans = kind == .feature ? KernelTables.features : KernelTables.bugs
            var byName: [String: [KernelTables.Span<KernelProfile.Row>]] = [:]
            var order: [String] = []
            for span in spans {
                if byName[span.row.name] == nil { order.append(span.row.name) }
                byName[span.row.name, default: []].append(span)
            }
            let isCurrent = Set(order.filter { name in byName[name]!.contains { $0.until == nil } })
            for name in order.filter(isCurrent.contains) + order.filter({ !isCurrent.contains($0) }) {
                let rows = byName[name]!
                let latest = rows.max { ($0.until ?? KernelVersion(99, 0)) < ($1.until ?? KernelVersion(99, 0)) }!
                var qemu: String?
                if kind == .feature {
                    let scattered = KernelTables.scattered.filter { $0.row.name == name && $0.until == latest.until }
                    let origin = Feature.origin(kind: kind, row: latest.row, scattered: scattered.map(\.row.field))
                    qemu = origin.fields.lazy.compactMap { QEMUFeatureNames.byField[$0] }.first
                }
                let removed = rows.contains { $0.until == nil } ? nil : rows.compactMap(\.until).max()
                list.append(Feature(kind: kind, name: name, qemuName: qemu,
                                    addedIn: Self.introduction(rows.map(\.since).min()!),
                                    removedIn: removed.map(Self.introduction)))
                for span in rows {
                    for naming in Self.namings(of: span) {
                        if let proc = KernelProfile.procName(of: span.row, naming: naming) { procNames.append((proc, list.count - 1)) }
                    }
                }
            }
        }
        features = list
        // Macro names win over /proc names, which win over QEMU names: insert in reverse priority.
        for (i, feature) in list.enumerated().reversed() {
            if let qemu = feature.qemuName { keys[Self.normalize(qemu)] = i }
        }
        for (proc, i) in procNames.reversed() { keys[Self.normalize(proc)] = i }
        for (i, feature) in list.enumerated().reversed() {
            if feature.kind == .bug {
                keys[Self.normalize("BUG_" + feature.name)] = i
                keys[Self.normalize(feature.macro)] = i
            }
        }
        for (i, feature) in list.enumerated().reversed() where feature.kind == .feature {
            keys[Self.normalize(feature.name)] = i
            keys[Self.normalize(feature.macro)] = i
        }
        byKey = keys
    }

    /// The /proc naming rules in force over a span's releases.
    private static func namings(of span: KernelTables.Span<KernelProfile.Row>) -> [KernelProfile.ProcNaming] {
        let releases = KernelRelease.all.map(\.version).filter { span.holds($0) }
        return Array(Set(releases.map(KernelProfile.ProcNaming.init(for:)))).sorted { $0.rawValue < $1.rawValue }
    }

    /// First carried in `since`: exact when the carried release before it is the one just before, "or earlier"
    /// for the oldest carried release, otherwise bracketed by the carried releases around the gap.
    static func introduction(_ since: KernelVersion) -> FeatureIntroduction {
        guard let previous = KernelRelease.named(since)?.previous else { return .atOrBefore(since) }
        return previous.version.isFollowed(by: since) ? .release(since) : .between(after: previous.version, through: since)
    }

    /// Finds a feature by macro, /proc or QEMU name; `X86_FEATURE_` is optional, bugs need `X86_BUG_`
    /// or `BUG_` unless their /proc name is unambiguous.
    public func lookup(_ name: String) -> Feature? {
        byKey[Self.normalize(name)].map { features[$0] }
    }

    /// Up to `limit` macro names (bugs with `BUG_`) close to a misspelt name (by edit distance over every spelling the
    /// catalogue accepts, or containing it), for "did you mean" hints.
    public func suggestions(for name: String, limit: Int = 5) -> [String] {
        let wanted = Self.normalize(name)
        guard !wanted.isEmpty else { return [] }
        let threshold = max(2, wanted.count / 3)
        var best: [Int: Int] = [:]
        for (key, index) in byKey {
            let distance = key.contains(wanted) ? key.count - wanted.count : EditDistance.between(wanted, key)
            if distance <= threshold || key.contains(wanted), distance < best[index, default: .max] {
                best[index] = distance
            }
        }
        return best.sorted { $0.value != $1.value ? $0.value < $1.value : features[$0.key].name < features[$1.key].name }
            .prefix(limit).map { features[$0.key].kind == .bug ? "BUG_" + features[$0.key].name : features[$0.key].name }
    }

    /// The feature with this exact macro name (without prefix).
    public func feature(named name: String, kind: Feature.Kind = .feature) -> Feature? {
        features.first { $0.kind == kind && $0.name == name }
    }

    /// Lower-cased, with QEMU's `-` and `.` spelled as Linux's `_`.
    static func normalize(_ name: String) -> String {
        var text = name.lowercased()
        text = String(text.map { $0 == "-" || $0 == "." ? "_" : $0 })
        return text
    }
}
