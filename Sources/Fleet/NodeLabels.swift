import CPUID
import KVM

/// Kubernetes node labels for one CPU, in node-feature-discovery's and KubeVirt's naming, computed once
/// from the same CPUID so that the two label sets never disagree.
public struct NodeLabels: Sendable, Encodable {
    public struct Label: Hashable, Sendable, Encodable, Comparable {
        public var key: String
        public var value: String

        public static func < (lhs: Label, rhs: Label) -> Bool { lhs.key < rhs.key }
    }

    /// `feature.node.kubernetes.io/...`.
    public var nodeFeatureDiscovery: [Label]
    /// `cpu-feature.node.kubevirt.io/...` and `cpu-vendor.node.kubevirt.io/...`.
    public var kubevirt: [Label]

    public var all: [Label] { nodeFeatureDiscovery + kubevirt }

    static let nfdPrefix = "feature.node.kubernetes.io/"

    /// Labels for `snapshot`; pass what KVM offers on the node to label what guests can use.
    public init(_ snapshot: Snapshot, bits: FeatureBits = .shared) {
        var nfd: [Label] = []
        for item in NFDFeatureNames.table where snapshot.isSet(item.field) && !NFDFeatureNames.denied.contains(item.name) {
            nfd.append(Label(key: Self.nfdPrefix + "cpu-cpuid.\(item.name)", value: "true"))
        }
        if let level = MicroarchitectureLevel.highest(in: snapshot) {
            for number in 1...level.number {
                nfd.append(Label(key: Self.nfdPrefix + "cpu-cpuid.X86_64_V\(number)", value: "true"))
            }
        }
        let vendor = Self.shortVendor(snapshot.cpuVendor)
        let signature = snapshot.signature
        nfd.append(Label(key: Self.nfdPrefix + "cpu-model.vendor_id", value: vendor))
        nfd.append(Label(key: Self.nfdPrefix + "cpu-model.family", value: String(signature.family)))
        nfd.append(Label(key: Self.nfdPrefix + "cpu-model.id", value: String(signature.model)))
        nodeFeatureDiscovery = nfd.sorted()

        var kv: [Label] = []
        for bit in bits.present(in: snapshot) {
            guard let qemu = bit.qemuName else { continue }
            kv.append(Label(key: "cpu-feature.node.kubevirt.io/\(qemu)", value: "true"))
        }
        kv.append(Label(key: "cpu-vendor.node.kubevirt.io/\(vendor)", value: "true"))
        kubevirt = Array(Set(kv)).sorted()
    }

    /// The vendor as klauspost/cpuid and KubeVirt spell it (`Intel`, `AMD`, `Hygon`).
    static func shortVendor(_ vendor: CPUVendor) -> String {
        switch vendor {
        case .intel: "Intel"
        case .amd: "AMD"
        case .hygon: "Hygon"
        case .centaur: "VIA"
        case .zhaoxin: "Zhaoxin"
        case .transmeta: "Transmeta"
        case .other: "Unknown"
        }
    }
}

extension NodeLabels {
    /// Adds KubeVirt's `cpu-model.node.kubevirt.io/<Model>=true` for every QEMU named model the node can run and
    /// start (QEMU's `unavailable-features` empty and no hard failure such as a refused MSR write).
    public mutating func addModelLabels(_ runnability: QEMURunnability) {
        var labels = Set(kubevirt)
        for verdict in runnability.verdicts where verdict.isRunnable && verdict.starts {
            labels.insert(Label(key: "cpu-model.node.kubevirt.io/\(verdict.model)", value: "true"))
        }
        kubevirt = labels.sorted()
    }
}
