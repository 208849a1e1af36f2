/// Which of QEMU's named models a host can run: QEMU's own notion (`query-cpu-definitions`'
/// `unavailable-features` empty), predicted from an accelerator offer, plus the hard failures a runnable
/// model can still meet (an MSR write KVM refuses). The input KubeVirt-style `cpu-model` labels need.
public struct QEMURunnability: Sendable {
    public struct Verdict: Hashable, Sendable {
        public var model: String
        /// Features QEMU would filter, as `unavailable-features` lists them: XSAVE components under the feature
        /// that needs them (x86_cpu_feature_name), so a name can repeat (`mpx` for bits 3 and 4).
        public var unavailable: [String]
        /// What stops QEMU even so (e.g. the ARCH_CAPABILITIES write), in QEMU's words with the rule.
        public var failures: [String]

        public var isRunnable: Bool { unavailable.isEmpty }
        public var starts: Bool { failures.isEmpty }
    }

    public var offer: QEMUAcceleratorOffer
    public var verdicts: [Verdict]

    /// Every named model (aliases included, as QEMU lists them).
    public init(models: QEMUModelTable, offer: QEMUAcceleratorOffer) {
        self.offer = offer
        verdicts = models.namedModels.map { model in
            let check = QEMUStartCheck(spec: QEMUCPUSpec(model: model.name), models: models, offer: offer)
            let unavailable = check.warnings.compactMap { QEMUXSaveComponents.featureName(of: $0.bit) }
            return Verdict(model: model.name, unavailable: unavailable, failures: check.failures.map(\.description))
        }
    }

    public var runnable: [Verdict] { verdicts.filter(\.isRunnable) }
    public var blocked: [Verdict] { verdicts.filter { !$0.isRunnable } }

    /// KubeVirt's node labels for the models the host can run and start: `cpu-model.node.kubevirt.io/EPYC=true`.
    public var kubevirtLabels: [String] {
        verdicts.filter { $0.isRunnable && $0.starts }.map { "cpu-model.node.kubevirt.io/\($0.model)=true" }
    }
}
