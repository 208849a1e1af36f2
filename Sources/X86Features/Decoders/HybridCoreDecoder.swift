import CPUID

/// Leaf 0x1A: on hybrid parts, which kind of core this logical processor is.
public struct HybridCoreDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x1A]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) { Self.table.decode(leaf: 0x1A, in: snapshot, into: &fields) }

    static let coreType = Choices(sparse: [(0x20, "Intel Atom (efficiency)"), (0x40, "Intel Core (performance)")])

    static let table = FieldTable([
        .bits(.eax, 23, 0, "native_model_id", .hex),
        .bits(.eax, 31, 24, "core_type", .choice(coreType)),
    ])
}
