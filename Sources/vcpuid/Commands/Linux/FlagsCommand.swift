import ArgumentParser
import CPUID
import X86Features

/// `vcpuid flags`: the /proc/cpuinfo `flags` and `bugs` lines a kernel would print for a CPU,
/// or a comparison with a real /proc/cpuinfo.
struct FlagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "The /proc/cpuinfo flags (and bugs) a Linux kernel would print for this CPU or a dump.",
        discussion: """
            Runs vcpuid's model of the kernel's CPU setup: direct CPUID words, scattered bits behind the \
            max-leaf guard, flags the kernel synthesizes from CPUID, vendor quirks, and boot-option clears \
            with their dependents. Every carried Linux release (`vcpuid kernels`) is modelled exactly from \
            its own tables; a release vcpuid does not carry uses the newest carried one below it, and a \
            point release (6.1.158) the x.y.0 tables, each with a note on standard error.

            --compare FILE sets the result against a real /proc/cpuinfo and classifies each difference: \
            set by the kernel from outside CPUID (MSRs, the hypervisor, run-time choices; the catalogue \
            says which and why), undecided (the bug rules need an MSR the input does not carry) or \
            unexplained. --compare DIR reads /sys/devices/system/cpu/vulnerabilities and compares affected \
            vs "Not affected" per file. The exit status is 1 when anything is unexplained.

            Examples:
              vcpuid flags                                  this machine, as the running kernel sees it
              vcpuid flags host.cpuid --kernel 6.1 --clear nosgx,avx512f
              vcpuid flags --compare /proc/cpuinfo          exit 1 if a difference is unexplained
              vcpuid flags --compare /sys/devices/system/cpu/vulnerabilities
            """
    )

    @OptionGroup var input: SnapshotOptions

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: ArgumentHelp("Features to clear, comma-separated: boot switches (nosgx, noxsave, ...), /proc names, numbers, or macro names.",
                               valueName: "names"))
    var clear: String?

    @Option(help: ArgumentHelp("A kernel command line whose feature options apply (clearcpuid=, nosgx, ...).", valueName: "cmdline"))
    var boot: String?

    @Option(help: ArgumentHelp("Compare with this /proc/cpuinfo file, or a /sys/devices/system/cpu/vulnerabilities directory.",
                               valueName: "cpuinfo"))
    var compare: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if input.allCPUs { throw ValidationError("this command looks at one CPU; choose it with --cpu N") }
    }

    func run() throws {
        let snapshot = try input.loadSnapshot()
        let resolution = kernelOptions.resolve(live: input.file == nil)
        KernelOptions.announce(resolution)
        let profile = resolution.profile
        var options = BootOptions(commandLine: boot ?? "")
        let comparesHost = compare == "/proc/cpuinfo" || compare.map { $0.hasPrefix("/sys/devices/system/cpu/vulnerabilities") } == true
        if boot == nil, comparesHost, input.file == nil { options = HostSystem.bootOptions() }
        if let clear { try FeatureClearList.apply(clear, to: &options) }
        let view = LinuxDerivation.derive(snapshot, kernel: profile, options: options)

        if let compare {
            if Self.isDirectory(compare) {
                try runVulnerabilityComparison(view, directory: compare)
            } else {
                try runComparison(view, cpuinfoPath: compare)
            }
            return
        }
        if json {
            print(try prettyJSON(FlagsJSON(kernel: profile.version.description, requestedKernel: resolution.requested.description,
                                           kernelNotes: resolution.notes, flags: view.procFlags, bugs: view.procBugs,
                                           features: view.setFeatures,
                                           undecidedBugs: view.undecidedBugs.map(UndecidedBugJSON.init))))
            return
        }
        var lines = [
            ["kernel", ":", "Linux \(profile.version) model (\(input.sourceDescription))"],
            ["flags", ":", view.procFlags.joined(separator: " ")],
            ["bugs", ":", view.procBugs.joined(separator: " ")],
        ]
        let undecided = view.undecided
        if !undecided.isEmpty {
            let msrs = Set(undecided.flatMap(\.missingMSRs)).sorted().map { "0x" + String($0, radix: 16, uppercase: true) }
            lines.append(["undecided", ":", undecided.map { $0.procName ?? $0.name.lowercased() }.joined(separator: " ")
                + " (need MSR \(msrs.joined(separator: ", ")), which the input does not carry)"])
        }
        print(alignedColumns(lines))
    }

    private func runComparison(_ view: LinuxView, cpuinfoPath: String) throws {
        let text: String
        do throws(DumpError) {
            let bytes = try DumpReader.readBytes(path: cpuinfoPath)
            try bytes.withUnsafeBufferPointer { buffer throws(DumpError) in try DumpReader.checkText(buffer, name: cpuinfoPath) }
            text = String(decoding: bytes, as: UTF8.self)
        } catch {
            let message = if case .binary = error.kind { "binary data: expected /proc/cpuinfo text" } else { error.message }
            throw ValidationError("\(error.file)\(error.line.map { ":\($0)" } ?? ""): \(message)")
        }
        let info: ProcCPUInfo
        do {
            info = try ProcCPUInfo.parse(text, name: cpuinfoPath)
        } catch {
            throw ValidationError(error.description)
        }
        let wanted = input.cpu ?? info.processors[0].number
        guard let processor = info.processors.first(where: { $0.number == wanted }) else {
            throw ValidationError("\(cpuinfoPath) has no processor \(wanted)")
        }
        let comparison = FlagComparison(view: view, procFlags: processor.flags, procBugs: processor.bugs)
        if json {
            print(try prettyJSON(FlagComparisonJSON(comparison, kernel: view.kernel.version, processor: processor.number)))
        } else {
            print("Linux \(view.kernel.version) model vs \(cpuinfoPath) (processor \(processor.number)): "
                + "\(comparison.matching) names agree, \(comparison.differences.count) differ, "
                + "\(comparison.unexplained.count) unexplained")
            if !comparison.differences.isEmpty {
                var rows = [["NAME", "KIND", "WHERE", "VERDICT", "WHY"]]
                for d in comparison.differences {
                    switch d.verdict {
                    case let .outsideCPUID(reason):
                        rows.append([d.name, d.isBug ? "bug" : "flag", d.side.rawValue,
                                     "outside CPUID (\(reason.category))", reason.detail])
                    case let .undecided(detail):
                        rows.append([d.name, d.isBug ? "bug" : "flag", d.side.rawValue, "undecided (no MSR)", detail])
                    case let .unexplained(detail):
                        rows.append([d.name, d.isBug ? "bug" : "flag", d.side.rawValue, "UNEXPLAINED", detail])
                    }
                }
                print(alignedColumns(rows))
            }
        }
        if !comparison.unexplained.isEmpty { throw ExitCode(ExitStatus.negativeVerdict) }
    }
}

