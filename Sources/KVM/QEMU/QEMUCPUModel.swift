/// One of QEMU's x86 CPU models as `query-cpu-model-expansion` (type `full`) expands it: the feature bits it
/// asks for and the identity properties a guest sees.
public struct QEMUCPUModel: Hashable, Sendable {
    public var name: String
    /// `EPYC` is an alias of `EPYC-v1`: the unversioned name follows the machine type's default version.
    public var aliasOf: String?
    /// `host`, `max` and `base` depend on the accelerator or are not guest CPUs; named models are static.
    public var isDynamic: Bool
    public var migrationSafe: Bool
    public var deprecated: Bool
    /// What the probing QEMU itself said this machine lacks (`query-cpu-definitions`), for the accelerator it used.
    public var unavailableFeatures: [String]
    public var vendor: String
    public var family: Int
    public var model: Int
    public var stepping: Int
    public var level: UInt32
    public var xlevel: UInt32
    public var modelID: String
    /// Enabled feature properties, by QEMU's canonical names, in QEMU's word order.
    public var features: [String]
    /// Enabled boolean properties that are neither a feature this table knows nor a known QEMU setting: a
    /// newer QEMU's features, reported rather than dropped.
    public var unknownFeatures: [String]

    public init(name: String, aliasOf: String? = nil, isDynamic: Bool = false, migrationSafe: Bool = true,
                deprecated: Bool = false, unavailableFeatures: [String] = [], vendor: String, family: Int,
                model: Int, stepping: Int, level: UInt32, xlevel: UInt32, modelID: String, features: [String],
                unknownFeatures: [String] = []) {
        self.name = name
        self.aliasOf = aliasOf
        self.isDynamic = isDynamic
        self.migrationSafe = migrationSafe
        self.deprecated = deprecated
        self.unavailableFeatures = unavailableFeatures
        self.vendor = vendor
        self.family = family
        self.model = model
        self.stepping = stepping
        self.level = level
        self.xlevel = xlevel
        self.modelID = modelID
        self.features = features
        self.unknownFeatures = unknownFeatures
    }

    /// The requested bits, resolved through QEMU's feature words.
    public var featureBits: Set<QEMUFeatureBit> { Set(features.flatMap(QEMUFeatureWords.bits(named:))) }

    /// QEMU's X86CPU properties that are settings, not CPUID or MSR feature bits (besides `hv-*` and `x-*`).
    public static let settingProperties: Set<String> = [
        "check", "enforce", "cpuid-0xb", "fill-mtrr-mask", "full-cpuid-auto-level", "host-phys-bits", "kvm",
        "kvm-no-smi-migration", "kvm-pv-enforce-cpuid", "l3-cache", "legacy-cache", "lmce", "pmu", "realized",
        "start-powered-off", "tcg-cpuid", "vmware-cpuid-freq", "migratable", "host-cache-info", "hv-passthrough",
        "legacy-multi-node", "x-amd-topoext-features-only",
    ]

    /// Whether a boolean property is a QEMU setting rather than a feature.
    public static func isSetting(_ name: String) -> Bool {
        settingProperties.contains(name) || name.hasPrefix("hv-") || name.hasPrefix("x-")
    }
}
