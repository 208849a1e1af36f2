import CPUID

/// One named field of a CPUID answer, decoded for people: where it is, what it is called, its value.
///
/// The human reading is kept as a `FieldReading` and turned into words only when rendered, so that
/// decoding thousands of CPUs costs no string formatting.
public struct DecodedField: Hashable, Sendable {
    public var field: CPUIDField
    /// Short identifier, e.g. `EDECCSSA` or `max_enclave_size_64`.
    public var name: String
    public var value: UInt32
    /// How `value` reads for people (a flag, a size, one of an enumeration, ...).
    public var reading: FieldReading

    public init(field: CPUIDField, name: String, value: UInt32, reading: FieldReading) {
        self.field = field
        self.name = name
        self.value = value
        self.reading = reading
    }

    /// A field whose human reading is already words, e.g. `2^36 bytes (64 GiB)`, `EPC section`.
    public init(field: CPUIDField, name: String, value: UInt32, meaning: String) {
        self.init(field: field, name: name, value: value, reading: .text(meaning))
    }

    /// Human reading of the value, e.g. `yes`, `64 bytes`, `core (2)`.
    public var meaning: String {
        get { reading.describe(value) }
        set { reading = .text(newValue) }
    }

    /// Whether this is a one-bit yes/no field (what feature comparisons look at).
    public var isFlag: Bool { reading == .flag && field.isSingleBit }
}

/// Decodes the fields of one leaf. Each leaf has one decoder; `LeafDecoders.all` lists them.
/// A decoder implements either `decode(_:)` or, to save a copy when decoding many CPUs,
/// `decode(_:into:)`; each has a default built on the other.
public protocol LeafDecoder: Sendable {
    /// The leaves this decoder reads.
    var leaves: [UInt32] { get }
    /// Every field it can name, for every subleaf present in the snapshot, in subleaf order.
    func decode(_ snapshot: Snapshot) -> [DecodedField]
    /// Appends the same fields to `fields`.
    func decode(_ snapshot: Snapshot, into fields: inout [DecodedField])
}

extension LeafDecoder {
    public func decode(_ snapshot: Snapshot) -> [DecodedField] {
        var fields: [DecodedField] = []
        decode(snapshot, into: &fields)
        return fields
    }

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        fields += decode(snapshot)
    }
}
