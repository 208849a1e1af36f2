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
            if let origin = feature.origin(in: kernel) {
                // The kernel's /proc name; `X86_FEATURE_` spellings are understood by the lookup itself.
                let aliases = feature.procName(in: kernel).map { [$0] } ?? []
                list.append(GuestFeature(macro: feature.name, aliases: aliases, qemuName: feature.qemuName,
                                         field: origin.fields.first,
                                         dependsOn: kernel.dependencyGraph.directDependencies(of: feature.name)))
            } else if let release = catalogue.history(of: feature).last(where: \.exists)?.release,
                      let other = KernelProfile.release(release), let field = feature.origin(in: other)?.fields.first {
                // Only the newest release that defines the macro is built, not every carried profile.
                // A CPUID bit this kernel has no macro for: still a bit a guest table can carry.
                list.append(GuestFeature(macro: feature.name, aliases: [], qemuName: feature.qemuName, field: field,
                                         dependsOn: other.dependencyGraph.directDependencies(of: feature.name),
                                         note: "not in Linux \(kernel.version)'s tables (added in \(feature.addedIn))"))
            }
        }
        self.init(list + Self.architecturalExtras)
    }
}

extension GuestFeatureTable {
    /// One kernel's features from its own tables alone: macros and /proc names, CPUID bits, dependency rows,
    /// but no QEMU names (those live in the catalogue). About a tenth of the catalogue's cost to build, so the
    /// CLI starts with this one and builds the full directory only when a name needs it.
    public init(kernelOnly kernel: KernelProfile) {
        var scattered: [String: CPUIDField] = [:]
        for row in kernel.scattered where scattered[row.name] == nil { scattered[row.name] = row.field }
        var list: [GuestFeature] = []
        list.reserveCapacity(kernel.features.count + Self.architecturalExtras.count)
        for row in kernel.features {
            let field = scattered[row.name] ?? CapabilityWordSource.of(word: row.word)?.field(bit: row.bit)
            list.append(GuestFeature(macro: row.name, aliases: kernel.procName(of: row).map { [$0] } ?? [],
                                     qemuName: nil, field: field,
                                     dependsOn: kernel.dependencyGraph.directDependencies(of: row.name)))
        }
        self.init(list + Self.architecturalExtras)
    }
}
