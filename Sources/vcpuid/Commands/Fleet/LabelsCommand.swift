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
            use — instead of raw CPUID. Named CPU model labels (cpu-model.node.kubevirt.io/...) need libvirt's \
            model table and are not produced.

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

    func run() throws {
        var snapshot = try FleetInputs.snapshot(file)
        if let kernel {
            let resolution = KernelOptions.resolve(kernel, live: false)
            KernelOptions.announce(resolution)
            snapshot = BaselineView.kvm.apply(to: snapshot, kernel: resolution.profile)
        }
        let labels = NodeLabels(snapshot)
        if json {
            print(try prettyJSON(labels))
        } else {
            print(labels.all.map { "\($0.key)=\($0.value)" }.joined(separator: "\n"))
        }
    }
}
