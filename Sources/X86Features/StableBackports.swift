/// Rows a longterm line's stable releases are known to have gained after x.y.0, where a stable tree was
/// read; the x.y profile does not apply them, output names them for a host running that point release.
public struct StableBackport: Hashable, Sendable {
    /// The first point release known to have the change (it may have arrived earlier).
    public var by: KernelVersion
    public var summary: String

    init(_ by: KernelVersion, _ summary: String) {
        self.by = by
        self.summary = summary
    }
}

enum StableBackports {
    /// Read from stable trees: 6.6.y (6.6.47, 6.6.62) and 6.18.y (6.18.35); see docs/features.md.
    static let table: [StableBackport] = [
        StableBackport(KernelVersion(6, 6, 47),  "bug flags BHI and RFDS"),
        StableBackport(KernelVersion(6, 6, 62),  "NCAPINTS 22 (capability word 21)"),
        StableBackport(KernelVersion(6, 18, 35), "dependency row INVLPGB -> PCID"),
    ]

    /// The known changes of this version's line up to its point release.
    static func known(for version: KernelVersion) -> [StableBackport] {
        table.filter { $0.by.release == version.release && $0.by <= version }
    }
}
