import CPUID

/// The guest CPU every input can run: a CPUID table, the features it offers, and every feature it lost
/// with the reason.
public struct Baseline: Sendable {
    /// The guest table (write it with `DumpWriter`, give it to `guest ... --base`).
    public var table: Snapshot
    public var inputCount: Int
    public var vendor: String
    /// The input whose identity, cache and topology leaves the table carries.
    public var representative: String
    public var lost: [LostFeature]
    /// The plain AND of the inputs' feature registers, before maximum leaves, Linux's dependency table,
    /// XSAVE components and --migratable narrow it: what a SQL `bit_and` over an export gives.
    public var intersection: FeatureWords
    let bits: FeatureBits

    public init(table: Snapshot, inputCount: Int, vendor: String, representative: String, lost: [LostFeature],
                intersection: FeatureWords, bits: FeatureBits = .shared) {
        self.table = table
        self.intersection = intersection
        self.inputCount = inputCount
        self.vendor = vendor
        self.representative = representative
        self.lost = lost
        self.bits = bits
    }

    /// The named feature bits the table offers, in CPUID order.
    public var features: [FeatureBit] { bits.present(in: table) }

    /// The highest x86-64 psABI level the table satisfies; nil below v1.
    public var level: MicroarchitectureLevel? { MicroarchitectureLevel.highest(in: table) }

    /// The table as a one-CPU dump, for `DumpWriter`.
    public func dump(origin: String) -> Dump { Dump(snapshot: table, origin: .model(origin)) }
}
