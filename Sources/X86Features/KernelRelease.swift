/// One carried Linux release: the sizes of its capability array and the git blob ids of the three files
/// its tables were generated from, so that regenerating from a different copy of a file is noticed.
public struct KernelRelease: Hashable, Sendable {
    public var version: KernelVersion
    /// NCAPINTS.
    public var capabilityWords: Int
    /// NBUGINTS.
    public var bugWords: Int
    /// `git hash-object` of arch/x86/include/asm/cpufeatures.h, arch/x86/kernel/cpu/scattered.c and
    /// arch/x86/kernel/cpu/cpuid-deps.c of the release's .0 tree.
    public var cpufeaturesBlob: String
    public var scatteredBlob: String
    public var dependenciesBlob: String

    init(_ version: KernelVersion, _ capabilityWords: Int, _ bugWords: Int, _ cpufeatures: String, _ scattered: String,
         _ dependencies: String) {
        self.version = version
        self.capabilityWords = capabilityWords
        self.bugWords = bugWords
        self.cpufeaturesBlob = cpufeatures
        self.scatteredBlob = scattered
        self.dependenciesBlob = dependencies
    }

    /// The carried releases, oldest first (no profile is built to answer this).
    public static var carried: [KernelRelease] { all }

    /// The carried release with this x.y, if any.
    public static func named(_ version: KernelVersion) -> KernelRelease? {
        all.first { $0.version == version.release }
    }

    /// The carried release just before this one, nil for the oldest.
    public var previous: KernelRelease? {
        Self.all.last { $0.version < version }
    }
}
