/// One macro in one carried release: its number and /proc name there, read from the span tables.
public struct FeatureInRelease: Hashable, Sendable {
    public var release: KernelVersion
    /// The kernel's spelling of the number (`11*32+18`, `X86_BUG(1*32+0)`), nil when the release lacks the macro.
    public var number: String?
    /// The /proc/cpuinfo name under the release's naming rule, nil when hidden or absent.
    public var procName: String?

    public var exists: Bool { number != nil }
}

extension FeatureCatalogue {
    /// The macro in every carried release, oldest first, without building any profile (for per-release tables).
    public func history(of feature: Feature) -> [FeatureInRelease] {
        let spans = (feature.kind == .feature ? KernelTables.features : KernelTables.bugs).filter { $0.row.name == feature.name }
        return KernelRelease.all.map { release in
            guard let row = spans.first(where: { $0.holds(release.version) })?.row else {
                return FeatureInRelease(release: release.version, number: nil, procName: nil)
            }
            let number = feature.kind == .feature ? "\(row.word)*32+\(row.bit)" : "X86_BUG(\(row.word)*32+\(row.bit))"
            let naming = KernelProfile.ProcNaming(for: release.version)
            return FeatureInRelease(release: release.version, number: number,
                                    procName: KernelProfile.procName(of: row, naming: naming))
        }
    }
}
