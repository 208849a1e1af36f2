/// How a requested kernel (any release string) maps onto the carried Linux tables, decided in one place
/// so that every command answers the same and says the same about it.
public struct KernelResolution: Hashable, Sendable {
    /// The version asked for (or running), with its point release when known.
    public var requested: KernelVersion
    /// The carried release whose tables answer.
    public var profileVersion: KernelVersion

    public init(_ requested: KernelVersion) {
        self.requested = requested
        let releases = KernelRelease.all.map(\.version)
        profileVersion = releases.last { $0 <= requested.release } ?? releases[0]
    }

    /// Whether the carried tables are exactly the requested release's.
    public var isExact: Bool { profileVersion == requested.release }

    /// The profile the resolution names.
    public var profile: KernelProfile { KernelProfile.release(profileVersion)! }

    /// Why the answer comes from another release's tables, nil when exact.
    public var substitution: String? {
        guard !isExact else { return nil }
        let releases = KernelRelease.all.map(\.version)
        let release = requested.release
        if release < releases[0] {
            return "Linux \(release) is older than every carried profile; answering with the oldest, \(profileVersion)"
        }
        if release > releases[releases.count - 1] {
            return "Linux \(release) is newer than every carried profile; answering with the newest, \(profileVersion)"
        }
        return "vcpuid carries no tables for Linux \(release); answering with \(profileVersion), the newest carried release before it"
    }

    /// The point-release caveat: a profile models x.y.0, a host running x.y.z may have backported rows.
    public var pointReleaseNote: String? {
        guard isExact, requested.isPointRelease else { return nil }
        var note = "profile: Linux \(profileVersion).0 tables; this host runs \(requested), stable releases may backport rows not modelled"
        let known = StableBackports.known(for: requested)
        if !known.isEmpty {
            note += "; recorded by \(requested): " + StableBackports.grouped(known)
        }
        if let newest = StableBackports.newestRead(for: requested), newest < requested {
            note += " (stable trees read up to \(newest))"
        }
        return note
    }

    /// Every line a command should print about this resolution (standard error for text output).
    public var notes: [String] { [substitution, pointReleaseNote].compactMap { $0 } }
}
