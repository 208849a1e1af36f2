import CPUID
import X86Features

extension GuestFeatureTable {
    /// The features one kernel defines that a guest table can carry, with their /proc and QEMU names and
    /// that kernel's cpuid-deps rows. Synthetic features are listed too (field nil) so that naming one gives
    /// a precise refusal instead of "unknown". The architectural extras (SGX attribute and MISCSELECT bits)
    /// follow the kernel's features.
    public init(catalogue: FeatureCatalogue = .shared, kernel: KernelProfile) {
        var list: [GuestFeature] = []
        for feature in catalogue.features where feature.kind == .feature {
            guard let origin = feature.origin(in: kernel) else { continue }
            // The kernel's /proc name; `X86_FEATURE_` spellings are understood by the lookup itself.
            let aliases = feature.procName(in: kernel).map { [$0] } ?? []
            list.append(GuestFeature(macro: feature.name, aliases: aliases, qemuName: feature.qemuName,
                                     field: origin.fields.first,
                                     dependsOn: kernel.dependencyGraph.directDependencies(of: feature.name)))
        }
        self.init(list + Self.architecturalExtras)
    }
}
