import CPUID
import Fleet

/// Which host lacks which of the features a baseline lost: filled host by host after the baseline (the
/// baseline streams its inputs and keeps only a few names per lost feature), one bit per host and feature.
public struct FleetHeatMap: Sendable {
    /// A host that lacks at least one lost feature.
    public struct Host: Hashable, Sendable {
        public var name: String
        /// Indexes into `features` of the lost features this host lacks.
        public var lacking: [Int]
    }

    public var baseline: Baseline
    /// The lost features, in the baseline's order until `sorted()`.
    public private(set) var features: [LostFeature]
    /// Where each lost feature's bit lives (nil when the catalogue has no single bit for it).
    private var fields: [CPUIDField?]
    public private(set) var hosts: [Host] = []
    /// Hosts that have every lost feature (what they lost, they lost through a dependency or --migratable).
    public private(set) var completeHosts: [String] = []

    public init(baseline: Baseline, bits: FeatureBits = .shared) {
        self.baseline = baseline
        features = baseline.lost
        fields = baseline.lost.map { bits.bit(named: $0.macro)?.field }
    }

    /// Records one host, given the same CPUID (after the same view) the baseline read for it.
    public mutating func add(_ snapshot: Snapshot, name: String) {
        var lacking: [Int] = []
        for (i, field) in fields.enumerated() {
            if let field, !snapshot.isSet(field) { lacking.append(i) }
        }
        if lacking.isEmpty { completeHosts.append(name) } else { hosts.append(Host(name: name, lacking: lacking)) }
    }

    /// How many hosts lack each feature, by feature index.
    public var lackingCounts: [Int] {
        var counts = Array(repeating: 0, count: features.count)
        for host in hosts { for i in host.lacking { counts[i] += 1 } }
        return counts
    }

    /// Sorted so that what matters stands out: the features most hosts lack first (then those lost through
    /// a dependency or a rule), the hosts that lack most first, ties by name.
    public func sorted() -> FleetHeatMap {
        let counts = lackingCounts
        let order = features.indices.sorted { a, b in
            counts[a] != counts[b] ? counts[a] > counts[b] : features[a].linux < features[b].linux
        }
        var position = Array(repeating: 0, count: features.count)
        for (new, old) in order.enumerated() { position[old] = new }
        var copy = self
        copy.features = order.map { features[$0] }
        copy.fields = order.map { fields[$0] }
        copy.hosts = hosts.map { Host(name: $0.name, lacking: $0.lacking.map { position[$0] }.sorted()) }
            .sorted { $0.lacking.count != $1.lacking.count ? $0.lacking.count > $1.lacking.count
                : $0.lacking.lexicographicallyPrecedes($1.lacking) || ($0.lacking == $1.lacking && $0.name < $1.name) }
        copy.completeHosts = completeHosts.sorted()
        return copy
    }
}
