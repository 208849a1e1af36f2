import ArgumentParser
import CPUID
import KVM

/// `vcpuid qemu models`: the installed QEMU's x86 CPU models, as QEMU expands them.
struct QEMUModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List QEMU's named x86 CPU models with their vendor, family/model/stepping and features.",
        discussion: """
            Asks QEMU the way libvirt does (-machine none -nodefaults -display none -qmp stdio; \
            query-cpu-definitions, then query-cpu-model-expansion type=full for every model and version) and \
            caches the answer per binary under $XDG_CACHE_HOME/vcpuid (or ~/.cache/vcpuid). Feature names map \
            to CPUID and MSR bits through QEMU's feature words; names vcpuid does not know are listed as \
            unknown, not dropped. "QEMU says unavailable" is QEMU's own verdict for this machine (with KVM) \
            or for TCG.

            Examples:
              vcpuid qemu models
              vcpuid qemu models EPYC-Rome --json
              vcpuid qemu models --qemu /opt/qemu/bin/qemu-system-x86_64 --refresh
            """
    )

    enum Format: String, OutputFormatChoice {
        case table, json
        static let help = "Output format: a table, or the cache's JSON document."
    }

    @Argument(help: "Only these models (names as QEMU spells them).")
    var names: [String] = []

    @OptionGroup var binary: QEMUBinaryOptions
    @OptionGroup var output: OutputOptions<Format>

    func run() throws {
        let (loaded, notes) = try QEMUModels.load(binary: binary.qemu, refresh: binary.refresh)
        for note in notes { writeToStandardError("note: \(note)\n") }
        var table = loaded
        if !names.isEmpty {
            var chosen: [QEMUCPUModel] = []
            for name in names {
                guard let model = table.model(named: name) else {
                    throw ValidationError("QEMU (\(table.versionLine)) has no CPU model '\(name)'; `vcpuid qemu models` lists them")
                }
                chosen.append(model)
            }
            table.models = chosen
        }
        if output.chosen == .json {
            print(table.json(), terminator: "")
            return
        }
        print("\(table.versionLine): \(table.models.count) CPU models (\(table.source); accelerator \(table.accelerator))")
        var rows = [["model", "alias of", "vendor", "fam/model/step", "level", "features", "QEMU says unavailable"]]
        for model in table.models {
            let unavailable = model.unavailableFeatures
            rows.append([
                model.name, model.aliasOf ?? "", model.vendor, "\(model.family)/\(model.model)/\(model.stepping)",
                Hex.byte(model.level), "\(model.features.count)",
                unavailable.isEmpty ? "-" : unavailable.count <= 4 ? unavailable.joined(separator: " ")
                    : unavailable.prefix(4).joined(separator: " ") + " (+\(unavailable.count - 4))",
            ])
        }
        print(alignedColumns(rows), terminator: "")
        let unknown = Set(table.models.flatMap(\.unknownFeatures)).sorted()
        if !unknown.isEmpty {
            print("features vcpuid cannot place (no CPUID/MSR bit known): \(unknown.joined(separator: ", "))")
        }
    }
}
