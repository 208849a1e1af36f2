import CPUID

/// Every feature and bug macro of the carried kernels, with lookups by any of their names:
/// macro (`SGX_EDECCSSA`, `X86_FEATURE_SGX_EDECCSSA`), /proc/cpuinfo (`sgx_edeccssa`, any kernel's
/// naming rule) and QEMU (`sgx-edeccssa`), all case-insensitive.
public struct FeatureCatalogue: Sendable {
    public let profiles: [KernelProfile]
    /// Features then bugs, each in the newest kernel's number order (older-only macros last).
    public let features: [Feature]
    private let byKey: [String: Int]

    public static let shared = FeatureCatalogue(profiles: KernelProfile.all)

    public init(profiles: [KernelProfile]) {
        self.profiles = profiles
        var list: [Feature] = []
        var seen: Set<String> = []
        let newestFirst = profiles.sorted { $0.version > $1.version }
        let oldest = profiles.map(\.version).min() ?? KernelVersion(6, 1)
        for kind in [Feature.Kind.feature, .bug] {
            for profile in newestFirst {
                let rows = kind == .feature ? profile.features : profile.bugs
                for row in rows where !seen.contains("\(kind):\(row.name)") {
                    seen.insert("\(kind):\(row.name)")
                    let introduced = Self.introduction(of: row.name, kind: kind, profiles: profiles, oldest: oldest)
                    var qemu: String?
                    if kind == .feature {
                        let probe = Feature(kind: kind, name: row.name, qemuName: nil, addedIn: introduced)
                        qemu = probe.origin(in: profile)?.fields.lazy.compactMap { QEMUFeatureNames.byField[$0] }.first
                    }
                    list.append(Feature(kind: kind, name: row.name, qemuName: qemu, addedIn: introduced))
                }
            }
        }
        for later in LaterFeature.all where !seen.contains("feature:\(later.name)") {
            list.append(Feature(kind: .feature, name: later.name, qemuName: QEMUFeatureNames.byField[later.field],
                                addedIn: .release(later.addedIn)))
        }
        features = list
        var keys: [String: Int] = [:]
        // Macro names win over /proc names, which win over QEMU names: insert in reverse priority.
        for (i, feature) in list.enumerated().reversed() {
            if let qemu = feature.qemuName { keys[Self.normalize(qemu)] = i }
        }
        for (i, feature) in list.enumerated().reversed() {
            for profile in profiles { if let proc = feature.procName(in: profile) { keys[Self.normalize(proc)] = i } }
        }
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

    private static func introduction(of name: String, kind: Feature.Kind, profiles: [KernelProfile],
                                     oldest: KernelVersion) -> FeatureIntroduction {
        let present = profiles.filter { kind == .feature ? $0.featureRow(named: name) != nil : $0.bugRow(named: name) != nil }
            .map(\.version).sorted()
        let key = (kind == .feature ? "" : "BUG_") + name
        if let exact = FeatureIntroductions.table[key] { return .release(exact) }
        if let dated = FeatureIntroductions.dated[key] { return bracket(after: dated.after, by: dated.by) }
        guard let first = present.first else { return .atOrBefore(oldest) }
        if first == oldest { return .atOrBefore(oldest) }
        guard let previous = profiles.map(\.version).filter({ $0 < first }).max() else { return .atOrBefore(first) }
        return bracket(after: previous, by: first)
    }

    /// Absent in `after`, present in `by`: adjacent releases date the macro exactly.
    private static func bracket(after: KernelVersion, by: KernelVersion) -> FeatureIntroduction {
        after.major == by.major && after.minor + 1 == by.minor ? .release(by) : .between(after: after, through: by)
    }
}
