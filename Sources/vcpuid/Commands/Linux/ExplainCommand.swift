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
        if let clear { try FeatureClearList.apply(clear, to: &options) }
        let snapshot = try input.loadSnapshot()
        let view = LinuxDerivation.derive(snapshot, kernel: profile, options: options)
        let explanation = FeatureExplanation(feature, in: view, catalogue: catalogue)
        if json {
            print(try prettyJSON(explanation))
            return
        }

        var rows: [[String]] = [
            ["macro", feature.macro],
            ["kind", feature.kind.rawValue],
            ["source", explanation.origin?.description ?? "not defined in the carried kernels"],
            ["QEMU name", feature.qemuName ?? "-"],
            ["added in", feature.addedIn.description],
        ]
        if let removed = feature.removedIn { rows.append(["removed in", removed.description]) }
        if let extra = feature.kernelOverride {
            rows.append(["also", "\(extra.category): \(extra.detail)"])
        }
        print(alignedColumns(rows))
        print("")
        var kernels = [["KERNELS", "NUMBER", "/PROC"]]
        for run in explanation.releaseRuns {
            kernels.append([run.releases, run.number ?? "-", run.exists ? run.procName ?? "hidden" : "(not defined)"])
        }
        print(alignedColumns(kernels))
        print("")
        let needs = explanation.dependsOn
        let neededBy = explanation.neededBy
        print("depends on:  " + (needs.isEmpty ? "nothing" : needs.map { $0.joined(separator: " -> ") }.joined(separator: "\n             ")))
        print("needed by:   " + (neededBy.isEmpty ? "nothing" : neededBy.map { $0.joined(separator: " -> ") }.joined(separator: "\n             ")))
        print("")
        let verdict = explanation.verdict
        let state = verdict.stage == .undecided ? "UNDECIDED (bit left clear)" : verdict.isSet ? "SET" : "NOT SET"
        print("\(input.sourceDescription), Linux \(profile.version): \(state)")
        for line in verdict.lines { print("  " + line) }
    }
}
