import CPUID
import Glibc

/// Learns an installed QEMU's x86 CPU models the way libvirt does: one `qemu-system-x86_64 -machine none
/// -nodefaults -display none -qmp stdio` process (no guest runs), `query-cpu-definitions`, then
/// `query-cpu-model-expansion` (type `full`) for every model and version, all sent at once.
public enum QEMUModelProbe {
    public static let defaultBinary = "/usr/bin/qemu-system-x86_64"

    /// `kvm` when /dev/kvm can be opened for reading and writing (then `unavailable-features` is QEMU's verdict
    /// for this machine), else `tcg`.
    public static func defaultAccelerator(kvmPath: String = "/dev/kvm") -> String {
        access(kvmPath, R_OK | W_OK) == 0 ? "kvm" : "tcg"
    }

    /// Under KVM, QEMU gives every named model the host's vendor (`accel_uses_host_cpuid`); a second, TCG
    /// process supplies each model's own vendor, which exports and other hosts need.
    public static func probe(binary: String = defaultBinary, accelerator: String? = nil) throws(QEMUProbeError) -> QEMUModelTable {
        let accel = accelerator ?? defaultAccelerator()
        var table = try session(binary: binary, accelerator: accel)
        if accel != "tcg" {
            let own = try session(binary: binary, accelerator: "tcg")
            var vendors: [String: String] = [:]
            for model in own.models { vendors[model.name] = model.vendor }
            for i in table.models.indices where !table.models[i].isDynamic {
                table.models[i].vendor = vendors[table.models[i].name] ?? table.models[i].vendor
            }
        }
        return table
    }

    private struct Definition {
        var name: String, alias: String?, migrationSafe: Bool, deprecated: Bool, unavailable: [String]
    }

    private static func session(binary: String, accelerator accel: String) throws(QEMUProbeError) -> QEMUModelTable {
        let qmp = try QMPProcess(path: binary, arguments: [
            "-machine", "none", "-nodefaults", "-display", "none", "-qmp", "stdio", "-accel", accel,
        ])
        let greeting = try qmp.reply()
        let versionLine = Self.versionLine(greeting: greeting)
        try qmp.send(["{\"execute\":\"qmp_capabilities\"}", "{\"execute\":\"query-cpu-definitions\"}"])
        _ = try qmp.result(of: "qmp_capabilities")
        guard let definitions = try qmp.result(of: "query-cpu-definitions").arrayValue else {
            throw .malformedReply("query-cpu-definitions did not return a list")
        }
        let defs = definitions.compactMap { item -> Definition? in
            guard let name = item["name"]?.stringValue else { return nil }
            return Definition(name: name, alias: item["alias-of"]?.stringValue,
                              migrationSafe: item["migration-safe"]?.boolValue ?? false,
                              deprecated: item["deprecated"]?.boolValue ?? false,
                              unavailable: item["unavailable-features"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        let expanded = defs.filter { $0.alias == nil }
        // One command at a time: QMP stops reading while a request is queued, and a burst can let `quit`
        // overtake the answers still owed.
        var byName: [String: QEMUCPUModel] = [:]
        for def in expanded {
            try qmp.send(["{\"execute\":\"query-cpu-model-expansion\",\"arguments\":{\"type\":\"full\",\"model\":{\"name\":\(JSONEscaping.quoted(def.name))}}}"])
            let result = try qmp.result(of: "query-cpu-model-expansion \(def.name)")
            guard let props = result["model"]?["props"] else { throw .malformedReply(result.rendered()) }
            var model = Self.model(name: def.name, props: props)
            model.isDynamic = ["host", "max", "base"].contains(def.name)
            model.migrationSafe = def.migrationSafe
            model.deprecated = def.deprecated
            model.unavailableFeatures = def.unavailable
            byName[def.name] = model
        }
        try? qmp.send(["{\"execute\":\"quit\"}"])
        var models: [QEMUCPUModel] = []
        for def in defs {
            if var model = byName[def.alias ?? def.name] {
                model.name = def.name
                model.aliasOf = def.alias
                model.unavailableFeatures = def.unavailable
                models.append(model)
            }
        }
        return QEMUModelTable(versionLine: versionLine, accelerator: accel, models: models, source: .probed(binary: binary))
    }

    /// `QEMU emulator version 7.2.22 (Debian ...)`, as `--version` prints it, from QMP's greeting.
    static func versionLine(greeting: JSONValue) -> String {
        let version = greeting["QMP"]?["version"]
        let numbers = version?["qemu"]
        let text = "\(numbers?["major"]?.integerValue ?? 0).\(numbers?["minor"]?.integerValue ?? 0).\(numbers?["micro"]?.integerValue ?? 0)"
        let package = version?["package"]?.stringValue ?? ""
        return "QEMU emulator version \(text)" + (package.isEmpty ? "" : " (\(package.trimmingSpaces()))")
    }

    /// A model from its expanded properties: enabled features by canonical name, identity properties.
    static func model(name: String, props: JSONValue) -> QEMUCPUModel {
        guard case let .object(members) = props else {
            return QEMUCPUModel(name: name, vendor: "", family: 0, model: 0, stepping: 0, level: 0, xlevel: 0, modelID: "", features: [])
        }
        var bits: Set<QEMUFeatureBit> = []
        var unknown: [String] = []
        for member in members where member.value.boolValue == true {
            let found = QEMUFeatureWords.bits(named: member.key)
            if !found.isEmpty {
                bits.formUnion(found)
            } else if !QEMUCPUModel.isSetting(member.key) {
                unknown.append(member.key)
            }
        }
        var names: [String] = []
        for bit in bits.sorted() where !names.contains(bit.name) { names.append(bit.name) }
        func int(_ key: String) -> Int64 { props[key]?.integerValue ?? 0 }
        return QEMUCPUModel(name: name, vendor: props["vendor"]?.stringValue ?? "", family: Int(int("family")),
                            model: Int(int("model")), stepping: Int(int("stepping")),
                            level: UInt32(truncatingIfNeeded: int("level")), xlevel: UInt32(truncatingIfNeeded: int("xlevel")),
                            modelID: props["model-id"]?.stringValue ?? "", features: names, unknownFeatures: unknown.sorted())
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
