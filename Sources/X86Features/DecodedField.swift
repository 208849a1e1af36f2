import CPUID

/// One named field of a CPUID answer, decoded for people: where it is, what it is called, its value.
public struct DecodedField: Hashable, Sendable {
    public var field: CPUIDField
    /// Short identifier, e.g. `EDECCSSA` or `max_enclave_size_64`.
    public var name: String
    public var value: UInt32
    /// Human reading of the value, e.g. `yes`, `2^36 bytes (64 GiB)`, `EPC section`.
    public var meaning: String

    public init(field: CPUIDField, name: String, value: UInt32, meaning: String) {
        self.field = field
        self.name = name
        self.value = value
        self.meaning = meaning
    }
}

/// Decodes the fields of one leaf. Each leaf has one decoder; `LeafDecoders.all` lists them.
public protocol LeafDecoder: Sendable {
    /// The leaves this decoder reads.
    var leaves: [UInt32] { get }
    /// Every field it can name, for every subleaf present in the snapshot, in subleaf order.
    func decode(_ snapshot: Snapshot) -> [DecodedField]
}
