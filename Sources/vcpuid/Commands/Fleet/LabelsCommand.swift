import ArgumentParser
import CPUID
import Fleet
import X86Features
import KVM

/// `vcpuid labels [FILE]`: Kubernetes node labels, NFD's and KubeVirt's, from one CPUID.
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Kubernetes node labels for a CPU: node-feature-discovery's cpu-cpuid and KubeVirt's cpu-feature names.",
        discussion: """
            NFD labels use klauspost/cpuid's names (feature.node.kubernetes.io/cpu-cpuid.AVX512F=true) without \
            NFD's default deny-list of ubiquitous flags, plus x86-64 level and cpu-model labels; KubeVirt labels use \
            QEMU's names (cpu-feature.node.kubevirt.io/avx512f=true) and the vendor. With --kernel, both are \
            computed from what that kernel's KVM offers a guest on the CPU (vcpuid's model) — what a VM can \
            use — instead of raw CPUID. KubeVirt's named-model labels (cpu-model.node.kubevirt.io/<Model>) list the \
            QEMU models the node can run and start (QEMU's unavailable-features empty, no refused MSR write), from \
            the installed QEMU's models (or the bundled table), judged as `vcpuid qemu runnable` does: this machine's \
            live KVM offer, else vcpuid's model of KVM (--kernel, or the newest release); --no-models leaves them out.

            Examples:
              vcpuid labels
              vcpuid labels host.cpuid --kernel 6.18 --json
            """
    )

    @Argument(help: "A CPUID dump (default: this machine).")
    var file: String?

    @Option(help: ArgumentHelp("Label what this Linux release's KVM offers on the CPU instead of raw CPUID.", valueName: "release"))
    var kernel: KernelVersion?

    @Flag(help: "Print the labels as a JSON object per naming.")
    var json = false

    @Flag(name: .customLong("no-models"), help: "Leave out KubeVirt's named-model labels (no QEMU model table is read).")
    var noModels = false

    @OptionGroup var binary: QEMUBinaryOptions

    func run() throws {
        let raw = try FleetInputs.snapshot(file)
        var snapshot = raw
        if let kernel {
            let resolution = KernelOptions.resolve(kernel, live: false)
            KernelOptions.announce(resolution)
            snapshot = BaselineView.kvm.apply(to: snapshot, kernel: resolution.profile)
        }
        var labels = NodeLabels(snapshot)
        if !noModels, let offer = modelOffer(for: raw) {
            let (models, notes) = try QEMUModels.load(binary: binary.qemu, refresh: binary.refresh)
            for note in notes { writeToStandardError("note: \(note)\n") }
            labels.addModelLabels(QEMURunnability(models: models, offer: offer))
        }
        if json {
            print(try prettyJSON(labels))
        } else {
            print(labels.all.map { "\($0.key)=\($0.value)" }.joined(separator: "\n"))
        }
    }

    /// What a guest on the node could be given, as `vcpuid qemu runnable` judges it: this machine's live KVM
    /// offer, else vcpuid's model of KVM (--kernel, or the newest carried release) on the CPU.
    private func modelOffer(for host: Snapshot) -> QEMUAcceleratorOffer? {
        if file == nil, kernel == nil {
            if let live = try? QEMUAcceleratorOffer.live() { return live }
            writeToStandardError("note: /dev/kvm is not usable here; named-model labels follow vcpuid's model of KVM\n")
        }
        return .predicted(host: host, hostName: FleetInputs.name(file), kernel: kernel ?? KernelProfile.newest.version)
    }
}
