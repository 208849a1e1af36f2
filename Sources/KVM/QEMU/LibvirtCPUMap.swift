import CPUID

/// One libvirt x86 feature name and the bit it stands for (cpu_map/x86_features.xml).
public struct LibvirtFeature: Hashable, Sendable {
    public var name: String
    public var location: QEMUFeatureWord.Location
    public var bit: Int

    public static func cpuid(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register, bit: Int, _ name: String) -> Self {
        LibvirtFeature(name: name, location: .cpuid(leaf: leaf, subleaf: subleaf, register: register), bit: bit)
    }

    public static func msr(_ index: UInt32, bit: Int, _ name: String) -> Self {
        LibvirtFeature(name: name, location: .msr(index), bit: bit)
    }
}

/// libvirt's x86 CPU map as vcpuid carries it (generated from an installed libvirt): which names a `<cpu>`
/// element may use, and which models libvirt knows.
public enum LibvirtCPUMap {
    /// libvirt's vendor names (cpu_map/x86_vendors.xml).
    public static let vendors: [String: String] = ["GenuineIntel": "Intel", "AuthenticAMD": "AMD", "HygonGenuine": "Hygon"]

    private static let byBit: [String: String] = {
        var index: [String: String] = [:]
        for feature in features { index[key(feature.location, feature.bit)] = index[key(feature.location, feature.bit)] ?? feature.name }
        return index
    }()

    private static func key(_ location: QEMUFeatureWord.Location, _ bit: Int) -> String {
        switch location {
        case let .cpuid(leaf, subleaf, register): "\(leaf).\(subleaf ?? 0).\(register).\(bit)"
        case let .msr(index): "msr.\(index).\(bit)"
        }
    }

    /// libvirt's name for a QEMU feature bit, or nil when cpu_map has none.
    public static func name(of bit: QEMUFeatureBit) -> String? {
        let location: QEMUFeatureWord.Location = switch bit.featureWord.location {
        case let .cpuid(leaf, subleaf, register): .cpuid(leaf: leaf, subleaf: subleaf ?? 0, register: register)
        case let .msr(index): .msr(index)
        }
        return byBit[key(location, bit.bit)]
    }

    public static func hasModel(_ name: String) -> Bool { modelNames.contains(name) }
}
