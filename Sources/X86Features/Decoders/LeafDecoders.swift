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
        SGXLeafDecoder(),
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
        decode(snapshot, leaf: leaf, into: &fields)
        return fields
    }

    /// Appends the same fields to `fields`, so that a caller decoding many CPUs can reuse one array.
    public static func decode(_ snapshot: Snapshot, leaf: UInt32? = nil, into fields: inout [DecodedField]) {
        decode(snapshot, leaf: leaf, decoders: all, into: &fields)
    }

    /// The decoders that print from tables, by leaf.
    static let tableDecoders: [UInt32: any FieldTableDecoder] = {
        var byLeaf: [UInt32: any FieldTableDecoder] = [:]
        for case let decoder as any FieldTableDecoder in all {
            for leaf in decoder.leaves where byLeaf[leaf] == nil { byLeaf[leaf] = decoder }
        }
        return byLeaf
    }()

    /// The other decoders, whose fields are built as `DecodedField`s.
    static let fieldDecoders: [any LeafDecoder] = all.filter { !($0 is any FieldTableDecoder) }

    static func decode(_ snapshot: Snapshot, leaf: UInt32?, decoders: [any LeafDecoder],
                       into fields: inout [DecodedField]) {
        fields.reserveCapacity(fields.count + 768)
        // The range rule holds for every decoder, whoever wrote it: no fields for leaves the CPU lacks.
        let implemented = ImplementedLeaves(snapshot)
        for decoder in decoders where decoder.leaves.contains(where: implemented.contains) {
            if let leaf {
                guard decoder.leaves.contains(leaf) else { continue }
                let start = fields.count
                decoder.decode(snapshot, into: &fields)
                // A decoder of several leaves (the brand string) keeps only this leaf's fields, in order.
                var kept = start
                for index in start..<fields.count where fields[index].field.leaf == leaf {
                    fields.swapAt(kept, index)
                    kept += 1
                }
                fields.removeSubrange(kept...)
            } else {
                decoder.decode(snapshot, into: &fields)
            }
        }
    }

    /// The decoder that reads this leaf, if any.
    public static func decoder(for leaf: UInt32) -> (any LeafDecoder)? {
        all.first { $0.leaves.contains(leaf) }
    }
}
