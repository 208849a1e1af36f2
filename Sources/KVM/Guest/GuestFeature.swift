import CPUID
import X86Features

/// A feature as guest composition needs it: its names, its CPUID bit, and what it depends on.
///
/// Built from the feature catalogue (Linux macro, /proc and QEMU names, cpuid-deps rows); a VMM with its own
/// names can build these too and hand them to `GuestTableComposer`.
public struct GuestFeature: Hashable, Sendable, CustomStringConvertible {
    /// The Linux macro without its prefix, e.g. `SGX_EDECCSSA`; the feature's identity.
    public var macro: String
    /// Other names a user may type: the /proc/cpuinfo flag, QEMU's name, ...
    public var aliases: [String]
    /// The QEMU `-cpu` property name, when QEMU has one.
    public var qemuName: String?
    /// Where the feature lives in CPUID; nil for Linux-synthetic features that no CPUID bit carries.
    public var field: CPUIDField?
    /// Macros this feature depends on (Linux's cpuid-deps rows): clearing one clears this feature.
    public var dependsOn: [String]
    /// Set when the directory's kernel does not define the feature and it was taken from another kernel's
    /// tables, e.g. `not in Linux 6.1's tables (added in v6.2)`: the CPUID bit exists all the same.
    public var note: String?
    /// Where `dependsOn` comes from, for messages: `Linux` (cpuid-deps rows) or `SDM` (architectural).
    public var dependencySource: String

    public init(macro: String, aliases: [String] = [], qemuName: String? = nil, field: CPUIDField?,
                dependsOn: [String] = [], note: String? = nil, dependencySource: String = "Linux") {
        self.macro = macro
        self.aliases = aliases
        self.qemuName = qemuName
        self.field = field
        self.dependsOn = dependsOn
        self.note = note
        self.dependencySource = dependencySource
    }

    /// `SGX_EDECCSSA CPUID.(EAX=12H,ECX=0):EAX[11]`
    public var description: String { field.map { "\(macro) \($0)" } ?? macro }
}

/// Looks features up by any of their names, and answers dependency questions.
public protocol GuestFeatureDirectory: Sendable {
    /// The feature with this macro, /proc or QEMU name (case-insensitive; `-` and `_` alike).
    func feature(named name: String) -> GuestFeature?
    /// The feature whose CPUID bit this is.
    func feature(at field: CPUIDField) -> GuestFeature?
    /// Features whose dependency rows name `macro` directly.
    func dependents(of macro: String) -> [GuestFeature]
    /// Every feature, for suggestions and listings.
    var features: [GuestFeature] { get }
    /// Up to `limit` known names closest to a misspelt one, for "did you mean".
    func suggestions(for name: String, limit: Int) -> [String]
}

extension GuestFeatureDirectory {
    /// By edit distance over every feature's QEMU name (or macro), so any directory can suggest.
    public func suggestions(for name: String, limit: Int = 3) -> [String] {
        let wanted = GuestFeatureTable.normalized(name)
        let threshold = max(2, wanted.count / 3)
        var scored: [(name: String, distance: Int)] = []
        for feature in features {
            let candidate = GuestFeatureTable.normalized(feature.qemuName ?? feature.macro)
            let distance = EditDistance.between(wanted, candidate)
            if distance <= threshold { scored.append((candidate, distance)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return scored.prefix(limit).map(\.name)
    }
}

/// A `GuestFeatureDirectory` over a list of features, with its name and dependency indexes built once.
public struct GuestFeatureTable: GuestFeatureDirectory {
    public let features: [GuestFeature]
    private let byName: [String: Int]
    private let byField: [CPUIDField: Int]
    private let dependentsByMacro: [String: [Int]]

    public init(_ features: [GuestFeature]) {
        self.features = features
        var byName: [String: Int] = [:]
        var byField: [CPUIDField: Int] = [:]
        var dependents: [String: [Int]] = [:]
        for (index, feature) in features.enumerated() {
            // The macro wins over an alias that happens to spell another feature's macro.
            for name in feature.aliases + (feature.qemuName.map { [$0] } ?? []) where !name.isEmpty {
                let key = Self.normalized(name)
                if byName[key] == nil { byName[key] = index }
            }
            if let field = feature.field, byField[field] == nil { byField[field] = index }
            for dependency in feature.dependsOn { dependents[dependency, default: []].append(index) }
        }
        for (index, feature) in features.enumerated() { byName[Self.normalized(feature.macro)] = index }
        self.byName = byName
        self.byField = byField
        self.dependentsByMacro = dependents
    }

    /// Lower case with `-` for `_` and `.`: `SGX_EDECCSSA`, `sgx-edeccssa` and `sgx_edeccssa` meet.
    public static func normalized(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
    }

    /// Also accepts the kernel's full macro spelling, `X86_FEATURE_SGX_EDECCSSA`.
    public func feature(named name: String) -> GuestFeature? {
        var key = Self.normalized(name)
        if byName[key] == nil, key.hasPrefix(Self.macroPrefix) { key.removeFirst(Self.macroPrefix.count) }
        return byName[key].map { features[$0] }
    }

    static let macroPrefix = "x86-feature-"

    public func feature(at field: CPUIDField) -> GuestFeature? { byField[field].map { features[$0] } }

    public func dependents(of macro: String) -> [GuestFeature] {
        (dependentsByMacro[macro] ?? []).map { features[$0] }
    }
}
