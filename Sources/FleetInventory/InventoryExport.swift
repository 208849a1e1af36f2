import CPUID
import Fleet
import FoundationEssentials

/// The inventory as rows for engines that scale past one machine (DuckDB, ClickHouse, Spark): schema
/// `vcpuid-fleet-export/1`, one row per host and feature the host has, and one row per host and register.
///
/// Every row has `schema`, `kind` (`feature` or `register`), `host`, `vendor`, `kernel` (null when not
/// recorded), `family`, `model`, `stepping`. Feature rows add `feature` (Linux name), `qemu` (null when QEMU has
/// none) and `macro`. Register rows add `register` (`0x00000007.0x00.ebx`), `leaf`, `subleaf`, `value` (the
/// register as an unsigned integer) and `feature_register`: true for the registers a baseline ANDs, which
/// every host has a row for (0 where its leaf is absent or above its maximum), so that `bit_and(value)`
/// grouped by `register` over those rows is the fleet's plain intersection. CSV has one header line with all
/// columns; a column a row does not use is empty.
public enum InventoryExport {
    public enum Format: String, CaseIterable, Sendable {
        case ndjson
        case csv
    }

    public static let csvColumns = ["schema", "kind", "host", "vendor", "kernel", "family", "model", "stepping",
                                    "feature", "qemu", "macro", "register", "leaf", "subleaf", "value", "feature_register"]

    /// Writes every matching host's rows through `emit`, one chunk of text per host.
    public static func write(_ inventory: Inventory, format: Format, filters: [InventoryFilter] = [],
                             emit: (String) throws -> Void) throws {
        if format == .csv { try emit(csvColumns.joined(separator: ",") + "\n") }
        let featureRegisters = Set(FeatureRegister.all.map { LeafKey($0.leaf, $0.subleaf) })
        try inventory.forEachCurrent(filters: filters) { host in
            let snapshot = host.snapshot
            let signature = snapshot.signature
            let common: [(String, Value)] = [
                ("schema", .text(FleetExportNames.schema)), ("host", .text(host.name)), ("vendor", .text(snapshot.vendor)),
                ("kernel", host.kernel.map(Value.text) ?? .null), ("family", .number(UInt64(signature.family))),
                ("model", .number(UInt64(signature.model))), ("stepping", .number(UInt64(signature.stepping))),
            ]
            var text = ""
            for bit in FeatureBits.shared.present(in: snapshot) {
                text += row(common + [("kind", .text("feature")), ("feature", .text(bit.linuxName)),
                                      ("qemu", bit.qemuName.map(Value.text) ?? .null), ("macro", .text(bit.macro))], format: format)
            }
            let words = FeatureWords(snapshot)
            for (i, register) in FeatureRegister.all.enumerated() {
                text += row(common + registerColumns(register.leaf, register.subleaf, register.register,
                                                     value: words.values[i], feature: true), format: format)
            }
            for entry in snapshot.entries where !featureRegisters.contains(entry.key) {
                for register in Register.allCases {
                    text += row(common + registerColumns(entry.leaf, entry.subleaf, register,
                                                         value: entry.registers[register], feature: false), format: format)
                }
            }
            try emit(text)
        }
    }

    enum Value {
        case text(String)
        case number(UInt64)
        case bool(Bool)
        case null
    }

    static func registerColumns(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register, value: UInt32,
                                feature: Bool) -> [(String, Value)] {
        [("kind", .text("register")), ("register", .text(FleetExportNames.register(leaf: leaf, subleaf: subleaf, register))),
         ("leaf", .number(UInt64(leaf))), ("subleaf", .number(UInt64(subleaf))), ("value", .number(UInt64(value))),
         ("feature_register", .bool(feature))]
    }

    static func row(_ columns: [(String, Value)], format: Format) -> String {
        switch format {
        case .ndjson:
            let order = Dictionary(uniqueKeysWithValues: csvColumns.enumerated().map { ($1, $0) })
            let ordered = columns.sorted { order[$0.0, default: 0] < order[$1.0, default: 0] }
            return "{" + ordered.map { "\"\($0.0)\":\(json($0.1))" }.joined(separator: ",") + "}\n"
        case .csv:
            let byName = Dictionary(columns, uniquingKeysWith: { $1 })
            return csvColumns.map { name in byName[name].map(csv) ?? "" }.joined(separator: ",") + "\n"
        }
    }

    static func json(_ value: Value) -> String {
        switch value {
        case let .text(text): return "\"" + escaped(text) + "\""
        case let .number(number): return String(number)
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }

    static func csv(_ value: Value) -> String {
        switch value {
        case let .text(text):
            return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + text.replacing("\"", with: "\"\"") + "\"" : text
        case let .number(number): return String(number)
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return ""
        }
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
