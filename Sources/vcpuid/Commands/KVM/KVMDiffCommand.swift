import ArgumentParser
import CPUID
import KVM

/// `vcpuid kvm diff`: this machine's live KVM_GET_SUPPORTED_CPUID against the model for this host and kernel.
struct KVMDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare this machine's KVM_GET_SUPPORTED_CPUID with the model for this host and the running kernel.",
        discussion: """
            Each difference is shown with the model's rule for the differing bits, so a reader can tell a \
            model gap from a module that behaves differently. The module is detected from /sys/module unless \
            --module is given; kvm_pvm is modelled only from the public virt-pvm sources.

            Example: vcpuid kvm diff --kernel 6.18
            """
    )

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var model: KVMModelOptions

    @Option(help: "The KVM device to open.")
    var device = "/dev/kvm"

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    struct DifferenceDocument: Encodable {
        var kind: String
        var leaf: String
        var subleaf: Int
        var register: String?
        var live: String?
        var model: String?
        var rules: [KVMModelJSON.RuleDocument]
    }

    struct Document: Encodable {
        var liveModule: String
        var modelled: String
        var coverage: String
        var liveEntries: Int
        var modelEntries: Int
        var differences: [DifferenceDocument]
    }

    func validate() throws {
        if input.allCPUs {
            throw ValidationError("kvm diff models one host CPU; --all-cpus does not apply (pick one with --cpu)")
        }
    }

    func run() throws {
        // Asked on the host snapshot's CPU: KVM copies the calling CPU's APIC ID into 1.EBX and 0xB/0x1F EDX.
        let live = try KVMSystem(path: device).cpuidQuery(onCPU: input.cpu ?? 0).snapshot
        let host = try input.loadSnapshot()
        let info = KVMModuleInfo.detect()
        let options = moduleOptions(info: info, host: host)
        let prediction = try model.predict(host: host, module: options)
        let coverage = KVMModuleOptions.coverage(ofLiveModule: info.name, modelled: options)
        let differences = prediction.differences(from: live)
        if json {
            let documents = differences.map { d in
                DifferenceDocument(kind: d.kind.rawValue, leaf: Hex.word(d.key.leaf), subleaf: Int(d.key.subleaf),
                                   register: d.register?.description, live: d.kind == .bits ? Hex.word(d.live) : nil,
                                   model: d.kind == .bits ? Hex.word(d.model) : nil,
                                   rules: d.rules.map(KVMModelJSON.RuleDocument.init))
            }
            print(try prettyJSON(Document(
                liveModule: info.name ?? "none", modelled: model.title(prediction), coverage: coverage,
                liveEntries: live.count, modelEntries: prediction.snapshot.count, differences: documents)))
            return
        }
        var lines = [
            "live       KVM_GET_SUPPORTED_CPUID from \(info.name ?? "an unknown module"): \(live.count) entries",
            "model      \(model.title(prediction)): \(prediction.snapshot.count) entries",
            "coverage   \(coverage)",
            "differences \(differences.count)",
        ]
        for note in prediction.notes { lines.append("note: \(note)") }
        if !differences.isEmpty {
            lines.append("leaf        subleaf  reg  live        model       differing")
        }
        for d in differences {
            switch d.kind {
            case .bits:
                lines.append("\(Hex.word(d.key.leaf))  \(Hex.byte(d.key.subleaf).padded(to: 7))  "
                    + "\(d.register.map { "\($0)" } ?? "-")  \(Hex.word(d.live))  \(Hex.word(d.model))  \(Hex.word(d.live ^ d.model))")
                for item in d.rules {
                    let direction = d.model & item.mask != 0 ? "model sets" : "model clears"
                    lines.append("    \(Hex.word(item.mask)) \(direction): \(KVMModelText.ruleText(item.rule))")
                }
            case .onlyLive, .onlyModel, .flag:
                lines.append("\(Hex.word(d.key.leaf))  \(Hex.byte(d.key.subleaf).padded(to: 7))  "
                    + "\(d.kind == .onlyLive ? "only in the live table" : d.kind == .onlyModel ? "only in the model" : "index flag differs")")
            }
        }
        print(lines.joined(separator: "\n"))
    }

    /// The modelled module: --module if given, else the one loaded here (its parameters read from sysfs).
    private func moduleOptions(info: KVMModuleInfo, host: Snapshot) -> KVMModuleOptions {
        if model.module != nil { return model.moduleOptions(for: host) }
        return KVMModuleOptions(detected: info) ?? model.moduleOptions(for: host)
    }
}
