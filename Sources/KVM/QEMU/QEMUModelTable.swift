import CPUID

/// The x86 CPU models of one QEMU release, and where vcpuid learnt them.
public struct QEMUModelTable: Hashable, Sendable {
    public enum Source: Hashable, Sendable, CustomStringConvertible {
        /// Asked just now over QMP.
        case probed(binary: String)
        /// Read from the per-binary cache.
        case cache(file: String)
        /// vcpuid's checked-in table (no QEMU here).
        case bundled

        public var description: String {
            switch self {
            case let .probed(binary): "asked \(binary) over QMP"
            case let .cache(file): "cached in \(file)"
            case .bundled: "vcpuid's bundled table"
            }
        }
    }

    /// `QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`
    public var versionLine: String
    /// The accelerator QEMU was started with (`kvm` or `tcg`): `unavailableFeatures` are relative to it.
    public var accelerator: String
    public var models: [QEMUCPUModel]
    public var source: Source

    public init(versionLine: String, accelerator: String, models: [QEMUCPUModel], source: Source) {
        self.versionLine = versionLine
        self.accelerator = accelerator
        self.models = models
        self.source = source
    }

    public var version: QEMUVersion? { QEMUVersion(parsing: versionLine) }

    /// A model by name (QEMU's names are case-sensitive; a case-insensitive match is accepted when unique).
    public func model(named name: String) -> QEMUCPUModel? {
        if let exact = models.first(where: { $0.name == name }) { return exact }
        let matches = models.filter { $0.name.lowercased() == name.lowercased() }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Named guest models (static, not `base`), versioned names included.
    public var namedModels: [QEMUCPUModel] { models.filter { !$0.isDynamic } }

    // MARK: JSON (the cache file and `qemu models --json`)

    public static let formatName = "vcpuid-qemu-models"
    public static let formatVersion = 1

    public func json(key: String? = nil) -> String {
        func quoted(_ text: String) -> String { JSONEscaping.quoted(text) }
        func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }
        var lines = ["{", "  \"format\": \(quoted(Self.formatName)),", "  \"version\": \(Self.formatVersion),"]
        if let key { lines.append("  \"key\": \(quoted(key)),") }
        lines.append("  \"qemu\": \(quoted(versionLine)),")
        lines.append("  \"accelerator\": \(quoted(accelerator)),")
        lines.append("  \"source\": \(quoted(source.description)),")
        lines.append("  \"models\": [")
        for (i, model) in models.enumerated() {
            var fields = ["\"name\": \(quoted(model.name))"]
            if let alias = model.aliasOf { fields.append("\"alias-of\": \(quoted(alias))") }
            fields += [
                "\"dynamic\": \(model.isDynamic)", "\"migration-safe\": \(model.migrationSafe)",
                "\"deprecated\": \(model.deprecated)", "\"vendor\": \(quoted(model.vendor))",
                "\"family\": \(model.family)", "\"model\": \(model.model)", "\"stepping\": \(model.stepping)",
                "\"level\": \(model.level)", "\"xlevel\": \(model.xlevel)", "\"model-id\": \(quoted(model.modelID))",
                "\"unavailable-features\": \(list(model.unavailableFeatures))",
                "\"features\": \(list(model.features))", "\"unknown-features\": \(list(model.unknownFeatures))",
            ]
            lines.append("    {" + fields.joined(separator: ", ") + "}" + (i == models.count - 1 ? "" : ","))
        }
        lines.append("  ]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads what `json(key:)` wrote; nil when the text is not such a document (a corrupt cache is ignored).
    public init?(json text: String, source: Source, expectedKey: String? = nil) {
        guard let root = try? JSONParser.parse(text).value,
              root["format"]?.stringValue == Self.formatName,
              root["version"]?.integerValue == Int64(Self.formatVersion),
              let versionLine = root["qemu"]?.stringValue,
              let accelerator = root["accelerator"]?.stringValue,
              let items = root["models"]?.arrayValue else { return nil }
        if let expectedKey, root["key"]?.stringValue != expectedKey { return nil }
        var models: [QEMUCPUModel] = []
        for item in items {
            func strings(_ key: String) -> [String]? { item[key]?.arrayValue?.compactMap(\.stringValue) }
            guard let name = item["name"]?.stringValue, let vendor = item["vendor"]?.stringValue,
                  let family = item["family"]?.integerValue, let model = item["model"]?.integerValue,
                  let stepping = item["stepping"]?.integerValue, let level = item["level"]?.integerValue,
                  let xlevel = item["xlevel"]?.integerValue, let modelID = item["model-id"]?.stringValue,
                  let features = strings("features") else { return nil }
            models.append(QEMUCPUModel(
                name: name, aliasOf: item["alias-of"]?.stringValue, isDynamic: item["dynamic"]?.boolValue ?? false,
                migrationSafe: item["migration-safe"]?.boolValue ?? true, deprecated: item["deprecated"]?.boolValue ?? false,
                unavailableFeatures: strings("unavailable-features") ?? [], vendor: vendor, family: Int(family),
                model: Int(model), stepping: Int(stepping), level: UInt32(truncatingIfNeeded: level),
                xlevel: UInt32(truncatingIfNeeded: xlevel), modelID: modelID, features: features,
                unknownFeatures: strings("unknown-features") ?? []))
        }
        self.init(versionLine: versionLine, accelerator: accelerator, models: models, source: source)
    }
}
