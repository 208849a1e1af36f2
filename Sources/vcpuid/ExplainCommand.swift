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

    @OptionGroup var kernelOptions: KernelOptions

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
        let resolution = kernelOptions.resolve(live: input.file == nil)
        KernelOptions.announce(resolution)
        let profile = resolution.profile
        var options = BootOptions()
        if let clear { try FlagsCommand.FeatureClearList.apply(clear, to: &options) }
        let snapshot = try input.loadSnapshot()
        let view = LinuxDerivation.derive(snapshot, kernel: profile, options: options)
        let verdict = view.reason(for: feature)
        // Per-release rows come from the span tables: no profile but the chosen one (and the newest that has
        // the macro, when the chosen one lacks it) is built.
        let history = catalogue.history(of: feature)
        let newest = history.last(where: \.exists).flatMap { KernelProfile.release($0.release) } ?? profile
        let graph = (feature.exists(in: profile) ? profile : newest).dependencyGraph
        let needs = graph.dependencyChains(of: feature.name)
        let neededBy = graph.dependentChains(of: feature.name)
        let origin = feature.origin(in: feature.exists(in: profile) ? profile : newest)

        if json {
            var perKernel: [[String: Any]] = []
            for entry in history {
                perKernel.append([
                    "kernel": entry.release.description,
                    "exists": entry.exists,
                    "number": entry.number ?? JSONNull(),
                    "proc": entry.procName ?? JSONNull(),
                ])
            }
            print(try FlagsCommand.json([
                "macro": feature.macro,
                "kind": feature.kind.rawValue,
                "source": origin?.description ?? JSONNull(),
                "qemu": feature.qemuName ?? JSONNull(),
                "addedIn": feature.addedIn.description,
                "removedIn": feature.removedIn?.description ?? JSONNull(),
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
        if let removed = feature.removedIn { rows.append(["removed in", removed.description]) }
        if let extra = feature.kernelOverride {
            rows.append(["also", "\(extra.category): \(extra.detail)"])
        }
        print(alignedColumns(rows))
        print("")
        // Consecutive carried releases that agree share one line (5.10–6.1).
        var kernels = [["KERNELS", "NUMBER", "/PROC"]]
        var runs: [(first: KernelVersion, last: KernelVersion, number: String, proc: String)] = []
        for entry in history {
            let number = entry.number ?? "-"
            let proc = entry.exists ? entry.procName ?? "hidden" : "(not defined)"
            if let last = runs.last, last.number == number, last.proc == proc {
                runs[runs.count - 1].last = entry.release
            } else {
                runs.append((entry.release, entry.release, number, proc))
            }
        }
        for run in runs {
            kernels.append([run.first == run.last ? "\(run.first)" : "\(run.first)–\(run.last)", run.number, run.proc])
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
