import X86Features

/// The KVM profile that models a requested kernel: the nearest modelled release not above it, with the
/// sentence the output shows about how far it fits ("KVM model: Linux 6.6 rules; 6.8 adds no KVM CPUID change").
public struct KVMModelChoice: Sendable {
    public var requested: KernelVersion
    public var profile: KVMKernelProfile

    /// nil for kernels older than the oldest profile (5.10).
    public init?(for requested: KernelVersion) {
        guard let profile = KVMKernelProfile.for(requested) else { return nil }
        self.requested = requested
        self.profile = profile
    }

    /// Profiles model releases (x.y); a point release is its release's (the Linux resolution names its caveat).
    public var isExact: Bool { profile.version == requested.release }

    /// One line for the output.
    public var note: String {
        let head = "KVM model: Linux \(profile.version) rules"
        if isExact { return head }
        let release = requested.release
        guard let comparison = KVMReleaseComparison.of(release), comparison.base == profile.version else {
            return "\(head); \(release) is not modelled: its KVM CPUID code was not compared with \(profile.version)"
        }
        switch comparison.verdict {
        case .noChange:
            return "\(head); \(release) adds no KVM CPUID change"
        case let .differs(changes):
            return "\(head); \(release) differs in ways not modelled: \(changes.joined(separator: "; "))"
        }
    }
}
