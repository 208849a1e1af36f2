import ArgumentParser
import CPUID
import X86Features

/// `vcpuid explain FEATURE`: everything vcpuid knows about one Linux feature, and whether this CPU
/// (or a dump) has it under a given kernel, with the chain of reasons.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a Linux CPU feature: where it lives, its number and /proc name per kernel, its dependencies, and why a CPU has it or not.",
        discussion: """
            FEATURE may be a macro (SGX_EDECCSSA or X86_FEATURE_SGX_EDECCSSA), a /proc/cpuinfo name \
            (sgx_edeccssa) or a QEMU name (sgx-edeccssa), in any case. Bugs take X86_BUG_ or BUG_.
            A misspelt name is answered with the closest names.

            Examples:
              vcpuid explain sgx_edeccssa                   on this machine, for the running kernel
              vcpuid explain SGX_EDECCSSA host.cpuid --kernel 6.1 --clear nosgx
            """
    )

    @Argument(help: "The feature to explain.")
    var feature: String

    @OptionGroup var input: SnapshotOptions

    @Option(help: "Kernel version for the verdict (default: the running kernel for this machine, 6.18 for a dump).")
    var kernel: String?

    @Option(help: ArgumentHelp("Features to clear first, as for `vcpuid flags --clear`.", valueName: "names"))
    var clear: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if input.allCPUs { throw ValidationError("this command looks at one CPU; choose it with --cpu N") }
    }

    func run() throws {
        let catalogue = FeatureCatalogue.shared
        guard let feature = catalogue.lookup(self.feature) else {
            let needle = catalogue.suggestions(for: self.feature, limit: 8)
            let hint = needle.isEmpty ? "" : " (did you mean \(needle.joined(separator: ", "))?)"
            throw ValidationError("no feature or bug named '\(self.feature)'\(hint)")
        }
        let profile = try FlagsCommand.KernelChoice.profile(kernel, live: input.file == nil)
        var options = BootOptions()
        if let clear { try FlagsCommand.FeatureClearList.apply(clear, to: &options) }
        let snapshot = try input.loadSnapshot()
        let view = LinuxDerivation.derive(snapshot, kernel: profile, options: options)
        let verdict = view.reason(for: feature)
        let newest = catalogue.profiles.last { feature.exists(in: $0) } ?? profile
        let graph = (feature.exists(in: profile) ? profile : newest).dependencyGraph
        var needs = graph.dependencyChains(of: feature.name)
        if needs.isEmpty, let later = feature.later {
            // A feature newer than every carried kernel: its row plus the newest kernel's chains above it.
            let above = graph.dependencyChains(of: later.dependsOn)
            needs = above.isEmpty ? [[feature.name, later.dependsOn]] : above.map { [feature.name] + $0 }
        }
        let neededBy = graph.dependentChains(of: feature.name)
        let origin = feature.origin(in: feature.exists(in: profile) ? profile : newest)

        if json {
            var perKernel: [[String: Any]] = []
            for p in catalogue.profiles {
                perKernel.append([
                    "kernel": p.version.description,
                    "exists": feature.exists(in: p),
                    "number": feature.kernelSpelling(in: p) ?? JSONNull(),
                    "proc": feature.procName(in: p) ?? JSONNull(),
                ])
            }
            print(try FlagsCommand.json([
                "macro": feature.macro,
                "kind": feature.kind.rawValue,
                "source": origin?.description ?? feature.later.map { "scattered: \($0.field) from v\($0.addedIn) at \($0.number)" } ?? JSONNull(),
                "qemu": feature.qemuName ?? JSONNull(),
                "addedIn": feature.addedIn.description,
                "kernels": perKernel,
                "dependsOn": needs,
                "neededBy": neededBy,
                "cpu": [
                    "kernel": profile.version.description,
                    "set": verdict.isSet,
                    "stage": verdict.stage.rawValue,
                    "why": verdict.lines,
                ] as [String: Any],
            ]))
            return
        }

        var rows: [[String]] = [
            ["macro", feature.macro],
            ["kind", feature.kind.rawValue],
            ["source", origin?.description ?? "not defined in the carried kernels"],
            ["QEMU name", feature.qemuName ?? "-"],
            ["added in", feature.addedIn.description],
        ]
        if let later = feature.later, origin == nil {
            rows[2] = ["source", "scattered: \(later.field) (from v\(later.addedIn), at \(later.number), "
                + "depends on \(later.dependsOn); newer than every carried kernel)"]
        }
        if let extra = feature.kernelOverride {
            rows.append(["also", "\(extra.category): \(extra.detail)"])
        }
        print(alignedColumns(rows))
        print("")
        var kernels = [["KERNEL", "NUMBER", "/PROC"]]
        for p in catalogue.profiles {
            guard feature.exists(in: p) else {
                kernels.append([p.version.description, "-", "(not defined)"])
                continue
            }
            kernels.append([p.version.description, feature.kernelSpelling(in: p) ?? "-", feature.procName(in: p) ?? "hidden"])
        }
        print(alignedColumns(kernels))
        print("")
        print("depends on:  " + (needs.isEmpty ? "nothing" : needs.map { $0.joined(separator: " -> ") }.joined(separator: "\n             ")))
        print("needed by:   " + (neededBy.isEmpty ? "nothing" : neededBy.map { $0.joined(separator: " -> ") }.joined(separator: "\n             ")))
        print("")
        print("\(input.sourceDescription), Linux \(profile.version): \(verdict.isSet ? "SET" : "NOT SET")")
        for line in verdict.lines { print("  " + line) }
    }
}
