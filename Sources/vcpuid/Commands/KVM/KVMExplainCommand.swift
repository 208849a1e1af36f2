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
}
