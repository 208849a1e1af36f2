import CPUID

/// The registry of leaf decoders, one per leaf (or leaf family), in leaf order.
public enum LeafDecoders {
    /// Every decoder, sorted by the first leaf it reads.
    public static let all: [any LeafDecoder] = ([
        VendorIdentityDecoder(leaf: 0),
        FeatureInformationDecoder(),
        DeterministicCacheDecoder(leaf: 4),
        MonitorMwaitDecoder(),
        ThermalPowerDecoder(),
        StructuredFeaturesDecoder(),
        PerformanceMonitoringDecoder(),
        ExtendedTopologyDecoder(leaf: 0xB),
        ExtendedStateDecoder(),
        ProcessorTraceDecoder(),
        TimeStampCounterDecoder(),
        FrequencyDecoder(),
        KeyLockerDecoder(),
        HybridCoreDecoder(),
        ExtendedTopologyDecoder(leaf: 0x1F),
        HypervisorIdentityDecoder(),
        VendorIdentityDecoder(leaf: 0x8000_0000),
        ExtendedFeaturesDecoder(),
        BrandStringDecoder(),
        L1CacheTLBDecoder(),
        L2L3CacheTLBDecoder(),
        PowerManagementRASDecoder(),
        AddressSizesDecoder(),
        SecureVirtualMachineDecoder(),
        DeterministicCacheDecoder(leaf: 0x8000_001D),
        ProcessorTopologyDecoder(),
        EncryptedMemoryDecoder(),
        ExtendedFeatures2Decoder(),
    ] as [any LeafDecoder]).sorted { ($0.leaves.first ?? 0) < ($1.leaves.first ?? 0) }

    /// Every decoded field of the snapshot (or of one leaf), in leaf and subleaf order.
    public static func decode(_ snapshot: Snapshot, leaf: UInt32? = nil) -> [DecodedField] {
        var fields: [DecodedField] = []
        fields.reserveCapacity(768)
        for decoder in all {
            if let leaf {
                guard decoder.leaves.contains(leaf) else { continue }
                fields += decoder.decode(snapshot).filter { $0.field.leaf == leaf }
            } else {
                fields += decoder.decode(snapshot)
            }
        }
        return fields
    }

    /// The decoder that reads this leaf, if any.
    public static func decoder(for leaf: UInt32) -> (any LeafDecoder)? {
        all.first { $0.leaves.contains(leaf) }
    }
}
