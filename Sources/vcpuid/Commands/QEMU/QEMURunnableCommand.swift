import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid qemu runnable [DUMP...]`: the named QEMU models each host can run, and what blocks the others.
struct QEMURunnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runnable",
        abstract: "List the named QEMU CPU models a host can run, and what blocks the others.",
        discussion: """
            Without DUMP, this machine's live KVM; with dumps, vcpuid's model of each host's KVM for --kernel \
            (default: the newest carried release). A model is runnable when QEMU would filter none of its \
            features (QEMU's query-cpu-definitions `unavailable-features`, predicted); a runnable model can \
            still fail to start (an MSR write KVM refuses), which is listed too. --labels prints KubeVirt's \
            cpu-model.node.kubevirt.io/<Model>=true for the models that run and start.

            Exit status: 0 some model runs, 1 none, 2 no answer.

            Examples:
              vcpuid qemu runnable
              vcpuid qemu runnable hosts/*.cpuid --kernel 6.1 --json
              vcpuid qemu runnable --labels
            """
    )

    enum Format: String, OutputFormatChoice {
        case table, json
        static let help = "Output format: text, or JSON."
    }

    @Argument(help: "Host dumps (default: this machine's live KVM).")
    var dumps: [String] = []

    @Option(help: "With dumps: the kernel whose KVM to model (default: the newest carried).")
    var kernel: KernelVersion?

    @Flag(help: "Print KubeVirt cpu-model node labels instead.")
    var labels = false

    @OptionGroup var binary: QEMUBinaryOptions
    @OptionGroup var output: OutputOptions<Format>

    struct HostJSON: Encodable {
        struct Blocked: Encodable {
            var model: String
            var unavailable: [String]
            var failures: [String]
        }

        var host: String
        var offer: String
        var runnable: [String]
        var failing: [Blocked]
        var blocked: [Blocked]
        var labels: [String]
    }

    func run() throws {
        let (models, notes) = try QEMUModels.load(binary: binary.qemu, refresh: binary.refresh)
        for note in notes { writeToStandardError("note: \(note)\n") }
        var hosts: [(String, QEMUAcceleratorOffer)] = []
        if dumps.isEmpty {
            hosts.append(("this machine", try QEMUAcceleratorOffer.live()))
        } else {
            for path in dumps {
                let base = try GuestBase.file(path: path)
                hosts.append((path, .predicted(host: base.snapshot, hostName: path, kernel: kernel ?? KernelProfile.newest.version)))
            }
        }
        var documents: [HostJSON] = []
        var anyRunnable = false
        for (name, offer) in hosts {
            let result = QEMURunnability(models: models, offer: offer)
            anyRunnable = anyRunnable || !result.runnable.isEmpty
            let blocked = { (v: QEMURunnability.Verdict) in HostJSON.Blocked(model: v.model, unavailable: v.unavailable, failures: v.failures) }
            documents.append(HostJSON(
                host: name, offer: offer.origin,
                runnable: result.runnable.filter(\.starts).map(\.model),
                failing: result.runnable.filter { !$0.starts }.map(blocked),
                blocked: result.blocked.map(blocked), labels: result.kubevirtLabels))
        }
        if labels {
            for document in documents {
                if documents.count > 1 { print("# \(document.host)") }
                for label in document.labels { print(label) }
            }
        } else if output.chosen == .json {
            print(try prettyJSON(documents))
        } else {
            for document in documents {
                print("\(document.host) (\(document.offer)), \(models.versionLine):")
                print("  runs \(document.runnable.count) of \(document.runnable.count + document.failing.count + document.blocked.count) named models: "
                      + (document.runnable.isEmpty ? "none" : document.runnable.joined(separator: " ")))
                for failing in document.failing {
                    print("  \(failing.model): no feature filtered, but QEMU fails: \(failing.failures.joined(separator: "; "))")
                }
                for blocked in document.blocked {
                    print("  \(blocked.model): lacks \(blocked.unavailable.joined(separator: " "))"
                          + (blocked.failures.isEmpty ? "" : "; and QEMU fails: \(blocked.failures.joined(separator: "; "))"))
                }
            }
        }
        if !anyRunnable { throw ExitCode(ExitStatus.negativeVerdict) }
    }
}
