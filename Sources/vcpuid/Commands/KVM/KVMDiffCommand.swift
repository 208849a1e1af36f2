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

    struct MSRDifferenceDocument: Encodable {
        var msr: String
        var kind: String
        var bit: Int?
        var name: String?
        var live: Int?
        var rule: String
    }

    struct Document: Encodable {
        var liveModule: String
        var modelled: String
        var coverage: String
        var liveEntries: Int
        var modelEntries: Int
        var differences: [DifferenceDocument]
        var featureMSRDifferences: [MSRDifferenceDocument]
        var featureMSRsUndecidedInModel: [MSRDifferenceDocument]
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
        let system = try KVMSystem(path: device)
        let liveMSRs = try system.offeredFeatureMSRs()
        let (modelMSRs, msrNotes) = try model.predictFeatureMSRs(host: host, module: options, live: input.file == nil)
        let msrComparison = KVMFeatureMSRComparison(live: liveMSRs, model: modelMSRs)
        if json {
            let documents = differences.map { d in
                DifferenceDocument(kind: d.kind.rawValue, leaf: Hex.word(d.key.leaf), subleaf: Int(d.key.subleaf),
                                   register: d.register?.description, live: d.kind == .bits ? Hex.word(d.live) : nil,
                                   model: d.kind == .bits ? Hex.word(d.model) : nil,
                                   rules: d.rules.map(KVMModelJSON.RuleDocument.init))
            }
            print(try prettyJSON(Document(
                liveModule: info.name ?? "none", modelled: model.title(prediction), coverage: coverage,
                liveEntries: live.count, modelEntries: prediction.snapshot.count, differences: documents,
                featureMSRDifferences: msrComparison.differences.map(Self.document),
                featureMSRsUndecidedInModel: msrComparison.settledByLive.map {
                    MSRDifferenceDocument(msr: Hex.word($0.msr), kind: "undecided", bit: $0.account.number, name: $0.account.label,
                                          live: $0.live ? 1 : 0, rule: $0.account.rule)
                })))
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
        for note in msrNotes { lines.append("note: \(note)") }
        lines += KVMFeatureMSRText.comparison(msrComparison)
        print(lines.joined(separator: "\n"))
    }

    private static func document(_ d: KVMFeatureMSRComparison.Difference) -> MSRDifferenceDocument {
        switch d {
        case let .onlyLive(index): MSRDifferenceDocument(msr: Hex.word(index), kind: "onlyLive", rule: "the model has no rule listing it")
        case let .onlyModel(index, because): MSRDifferenceDocument(msr: Hex.word(index), kind: "onlyModel", rule: because)
        case let .faulted(index): MSRDifferenceDocument(msr: Hex.word(index), kind: "faulted", rule: "live KVM_GET_MSRS refused it")
        case let .bit(index, live, account):
            MSRDifferenceDocument(msr: Hex.word(index), kind: "bit", bit: account.number, name: account.label, live: live ? 1 : 0,
                                  rule: account.rule)
        }
    }

    /// The modelled module: --module if given, else the one loaded here (its parameters read from sysfs).
    private func moduleOptions(info: KVMModuleInfo, host: Snapshot) -> KVMModuleOptions {
        if model.module != nil { return model.moduleOptions(for: host) }
        return KVMModuleOptions(detected: info) ?? model.moduleOptions(for: host)
    }
}
