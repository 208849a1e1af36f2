import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid kvm explain FEATURE`: whether a kernel's KVM offers one feature, and the kernel's steps for it.
struct KVMExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain whether a kernel's KVM offers a feature on this machine or a dump, step by step.",
        discussion: """
            FEATURE is a Linux feature macro (SGX_EDECCSSA, X86_FEATURE_SGX2), a /proc/cpuinfo name or a QEMU \
            name. Example: `vcpuid kvm explain sgx_edeccssa host.txt --kernel 6.1` answers "not offered by \
            kernel 6.1 — KVM's CPUID_12_EAX mask lacks it before 6.2".
            """
    )

    @Argument(help: "The feature to explain.")
    var feature: String

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var model: KVMModelOptions

    @Flag(help: "Print the verdict as JSON.")
    var json = false

    struct Document: Encodable {
        var feature: String
        var macro: String
        var kernel: String
        /// The model line: which release's rules answered, and how far they fit the kernel asked for.
        var model: String
        var module: String
        var offered: Bool
        var location: String?
        var summary: String
        var steps: [String]
    }

    func validate() throws {
        if input.allCPUs {
            throw ValidationError("kvm explain models one host CPU; --all-cpus does not apply (pick one with --cpu)")
        }
    }

    func run() throws {
        let host = try input.loadSnapshot()
        let prediction = try model.predict(host: host, live: input.file == nil)
        if prediction.explain(feature) == nil, let bit = FeatureMSRBits.lookup(feature) {
            return try explainMSRBit(bit, host: host, module: prediction.module)
        }
        guard let verdict = prediction.explain(feature) else {
            if let known = FeatureCatalogue.shared.lookup(feature), known.kind == .bug {
                throw ValidationError("'\(feature)' is \(known.macro), a bug flag Linux sets; KVM_GET_SUPPORTED_CPUID carries CPUID bits, not bug flags")
            }
            let near = FeatureCatalogue.shared.suggestions(for: feature)
            let hint = near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"
            throw ValidationError("'\(feature)' is not a feature any KVM table or the feature catalogue knows\(hint)")
        }
        if json {
            print(try prettyJSON(Document(
                feature: verdict.feature, macro: verdict.macro, kernel: verdict.kernel.description,
                model: try model.choice(live: input.file == nil).note, module: prediction.module.module.rawValue, offered: verdict.offered,
                location: verdict.field?.description, summary: verdict.summary, steps: verdict.steps)))
            return
        }
        print(verdict.description)
        if let field = verdict.field { print("  location  \(field)") }
        print("  model     \(try model.choice(live: input.file == nil).note)")
        print("  module    \(prediction.module)")
        for (i, step) in verdict.steps.enumerated() { print("  \(i + 1). \(step)") }
    }

    struct MSRBitDocument: Encodable {
        var bit: String
        var location: String
        var kernel: String
        var module: String
        var listed: Bool
        var value: Int?
        var rule: String
    }

    /// A feature-MSR bit (`mds_no`, `arch_capabilities.rdcl_no`): the value KVM_GET_MSRS on /dev/kvm gives
    /// it in the model, and the rule of kvm_get_arch_capabilities() (or the MSR's value rule) behind it.
    private func explainMSRBit(_ bit: FeatureMSRBit, host: Snapshot, module: KVMModuleOptions) throws {
        let live = input.file == nil
        let (msrs, notes) = try model.predictFeatureMSRs(host: host, module: module, live: live)
        let kernel = try model.kernelVersion(live: live)
        let predicted = msrs.first { $0.index == bit.msr }
        let account = predicted?.account(ofBit: bit.low)
        let rule = account?.rule ?? "Linux \(kernel)'s KVM does not list \(FeatureMSRNames.name(of: bit.msr)) for \(module.module.rawValue)"
        let value = account?.value.map { $0 ? 1 : 0 }
        if json {
            print(try prettyJSON(MSRBitDocument(bit: bit.label, location: bit.citation, kernel: kernel.description,
                                                module: module.module.rawValue, listed: predicted != nil, value: value, rule: rule)))
            return
        }
        let verdict = switch value {
        case 1?: "offered (KVM_GET_MSRS on /dev/kvm reads it as 1)"
        case 0?: "not offered (KVM_GET_MSRS on /dev/kvm reads it as 0)"
        default: predicted == nil ? "not offered: the MSR is not in KVM's feature list" : "undecided"
        }
        print("\(bit.label): \(verdict)")
        print("  location  \(bit.citation) — \(bit.summary)")
        print("  model     Linux \(kernel) \(module)")
        for note in notes { print("  note      \(note)") }
        print("  rule      \(rule)")
    }
}
