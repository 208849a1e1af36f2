import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid kvm predict`: the supported-CPUID model for a host, a kernel version and a vendor module.
struct KVMPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict KVM_GET_SUPPORTED_CPUID of a kernel version's KVM for this machine or a dump.",
        discussion: """
            The model replays kvm_set_cpu_caps(), the vendor module's fix-ups and __do_cpuid_func() of Linux \
            6.1, 6.2 or 6.18 (a later version uses the newest profile not above it; an older one is refused). Every bit records the rule \
            that decided it: --rules lists them under each entry, --format json carries them. --format raw prints \
            the `cpuid -r` format that every vcpuid command reads.

            Examples:
              vcpuid kvm predict --kernel 6.1 --module intel host.cpuid --rules
              vcpuid kvm predict --kernel 6.2 --sgx off --format raw
            """
    )

    enum Format: String, OutputFormatChoice {
        case table, raw, json

        static let help = "Output format: an aligned table (with --rules, the rule behind each register), cpuid -r lines, or JSON with every rule."
    }

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var model: KVMModelOptions

    @OptionGroup var output: OutputOptions<Format>

    @Flag(help: "With the table format, list the rules behind each entry's registers.")
    var rules = false

    @Flag(help: "Also predict the feature MSRs KVM lists on /dev/kvm (KVM_GET_MSR_FEATURE_INDEX_LIST) and each value KVM_GET_MSRS returns, with the rule behind every ARCH_CAPABILITIES bit.")
    var msrs = false

    func validate() throws {
        if input.allCPUs {
            throw ValidationError("kvm predict models one host CPU; --all-cpus does not apply (pick one with --cpu)")
        }
    }

    func run() throws {
        let host = try input.loadSnapshot()
        let prediction = try model.predict(host: host, live: input.file == nil)
        switch output.chosen {
        case .raw:
            let dump = Dump(snapshot: prediction.snapshot, origin: .model(model.title(prediction)))
            print(try DumpWriter.render(dump, as: .cpuidRaw), terminator: "")
        case .json:
            print(try KVMModelJSON.prediction(prediction, title: model.title(prediction)))
        case .table:
            print(KVMModelText.prediction(prediction, title: model.title(prediction), withRules: rules),
                  terminator: "")
            if msrs {
                let (predicted, notes) = try model.predictFeatureMSRs(host: host, module: prediction.module, live: input.file == nil)
                for note in notes { print("note: \(note)") }
                print(KVMFeatureMSRText.prediction(predicted).joined(separator: "\n"))
            }
        }
    }
}
