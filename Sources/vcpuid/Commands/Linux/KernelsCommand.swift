import ArgumentParser
import KVM
import X86Features

/// `vcpuid kernels [FEATURE]`: the Linux releases vcpuid carries and what each covers, or when a feature came.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "List the Linux releases vcpuid models, or the release that introduced (and removed) a feature.",
        discussion: """
            Each carried release has its own Linux tables (features, bugs, scattered and dependency rows), generated \
            from that release's files; the KVM column names the release whose KVM model answers `kvm predict`.
            --kernel elsewhere accepts any release: one that is not carried uses the newest carried one below it.

            Examples:
              vcpuid kernels
              vcpuid kernels sgx_edeccssa
            """
    )

    @Argument(help: "A feature or bug (macro, /proc or QEMU name) to date.")
    var feature: String?

    @Flag(help: "Print JSON.")
    var json = false

    struct Release: Encodable {
        var release: String
        var capabilityWords: Int
        var bugWords: Int
        var linuxView: Bool
        var bugTable: Bool
        var kvmModel: String?
    }

    struct Introduction: Encodable {
        var macro: String
        var addedIn: String
        var removedIn: String?
    }

    func run() throws {
        if let feature {
            let catalogue = FeatureCatalogue.shared
            guard let found = catalogue.lookup(feature) else {
                let near = catalogue.suggestions(for: feature)
                throw ValidationError("no feature or bug named '\(feature)'"
                    + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"))
            }
            let answer = Introduction(macro: found.macro, addedIn: found.addedIn.description,
                                      removedIn: found.removedIn?.description)
            if json { return print(try prettyJSON(answer)) }
            var rows = [["macro", found.macro], ["added in", answer.addedIn]]
            if let removed = answer.removedIn { rows.append(["removed in", removed]) }
            return print(alignedColumns(rows))
        }
        // The KVM model's own choice of rules for each release (KVMKernelProfile decides, as `kvm predict` does).
        let releases = KernelRelease.carried.map { release in
            Release(release: release.version.description, capabilityWords: release.capabilityWords,
                    bugWords: release.bugWords, linuxView: true, bugTable: true,
                    kvmModel: KVMKernelProfile.for(release.version)?.version.description)
        }
        if json { return print(try prettyJSON(releases)) }
        var rows = [["RELEASE", "NCAPINTS", "NBUGINTS", "LINUX VIEW", "BUGS", "KVM MODEL"]]
        for r in releases {
            let kvm = r.kvmModel.map { $0 == r.release ? "exact" : "\($0) rules" } ?? "-"
            rows.append([r.release, "\(r.capabilityWords)", "\(r.bugWords)", "exact", "exact", kvm])
        }
        print(alignedColumns(rows))
    }
}
