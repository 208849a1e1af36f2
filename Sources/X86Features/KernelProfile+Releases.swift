import Synchronization

extension KernelProfile {
    /// The exact profile of a carried release, built from the span tables on first use and kept; nil when
    /// vcpuid carries no tables for that x.y. Only the releases asked for are ever built.
    public static func release(_ version: KernelVersion) -> KernelProfile? {
        guard let release = KernelRelease.named(version) else { return nil }
        if let built = cache.withLock({ $0[release.version] }) { return built }
        let profile = KernelProfile(release)
        cache.withLock { $0[release.version] = profile }
        return profile
    }

    /// The exact profile of the release, or the newest carried release not above it (the oldest for
    /// older kernels); `KernelResolution` says which and why.
    public static func `for`(_ version: KernelVersion) -> KernelProfile {
        release(KernelResolution(version).profileVersion)!
    }

    /// The profile of exactly this x.y, if vcpuid carries one.
    public static func exactly(_ version: KernelVersion) -> KernelProfile? { release(version) }

    /// The newest carried release's profile, the default for dumps.
    public static var newest: KernelProfile { release(KernelRelease.all[KernelRelease.all.count - 1].version)! }

    /// Every carried profile, oldest first. Builds all of them: for whole-catalogue questions only.
    public static var all: [KernelProfile] { KernelRelease.all.map { release($0.version)! } }

    /// The profiles the seed modelled, kept as names for code and tests that mean these releases.
    public static var v6_1: KernelProfile { release(KernelVersion(6, 1))! }
    public static var v6_2: KernelProfile { release(KernelVersion(6, 2))! }
    public static var v6_18: KernelProfile { release(KernelVersion(6, 18))! }

    private static let cache = Mutex<[KernelVersion: KernelProfile]>([:])

    /// The releases whose profiles have been built so far (start-up must build only the chosen one).
    static var builtReleases: Set<KernelVersion> { cache.withLock { Set($0.keys) } }

    /// Selects this release's rows from the span tables.
    init(_ release: KernelRelease) {
        let version = release.version
        self.init(version: version, capabilityWords: release.capabilityWords, bugWords: release.bugWords,
                  features: KernelTables.features.filter { $0.holds(version) }.map(\.row),
                  bugs: KernelTables.bugs.filter { $0.holds(version) }.map(\.row),
                  scattered: KernelTables.scattered.filter { $0.holds(version) }.map(\.row),
                  dependencies: KernelTables.dependencies.filter { $0.holds(version) }.map(\.row))
    }
}
