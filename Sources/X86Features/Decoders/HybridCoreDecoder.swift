import CPUID

/// Leaf 0x1A: on hybrid parts, which kind of core this logical processor is.
public struct HybridCoreDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x1A]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let coreType = Choices(sparse: [(0x20, "Intel Atom (efficiency)"), (0x40, "Intel Core (performance)")])

    static let table = FieldTable([
        .bits(.eax, 23, 0, "native_model_id", .hex),
        .bits(.eax, 31, 24, "core_type", .choice(coreType)),
    ])
}
