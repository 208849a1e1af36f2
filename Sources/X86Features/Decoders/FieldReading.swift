/// How the raw value of a decoded field reads for people. Kept symbolic so that decoding does no
/// string work; `render(_:into:)` writes the words straight into an output buffer.
public enum FieldReading: Hashable, Sendable {
    /// A one-bit capability: `yes` or `no`.
    case flag
    /// A plain number: `12`.
    case count
    /// A number stored minus one (the SDM's "minus-one notation"): raw 7 reads `8`.
    case countPlusOne
    /// An identifier, mask or bitmap, best read in hex: `0x1f`.
    case hex
    /// A size in bytes after multiplying by `scale`: `2432 bytes`, `32 KiB`.
    case bytes(scale: UInt32)
    /// A size in bytes stored minus one: raw 63 reads `64 bytes`.
    case bytesPlusOne
    /// A size given as a power of two: raw 36 reads `2^36 bytes (64 GiB)`.
    case log2Bytes
    /// A width in bits: `48 bits`.
    case bitWidth
    /// A frequency in MHz: `2400 MHz`.
    case megahertz
    /// Associativity where 0xff means fully associative (AMD L1 caches and TLBs).
    case ways
    /// One value of an enumeration, e.g. a cache type or topology level type.
    case choice(Choices)
    /// Words computed at decode time (vendor and brand strings).
    case text(String)

    /// The reading as a new string (for tests and one-off use; renderers use `render(_:into:)`).
    public func describe(_ value: UInt32) -> String {
        var output = TextOutput(capacity: 64)
        render(value, into: &output)
        return output.string
    }

    /// Appends the reading of `value` to `buffer` without building intermediate strings.
    public func render(_ value: UInt32, into buffer: inout TextOutput) {
        switch self {
        case .flag:
            buffer.append(value != 0 ? "yes" : "no")
        case .count:
            buffer.append(decimal: UInt64(value))
        case .countPlusOne:
            buffer.append(decimal: UInt64(value) + 1)
        case .hex:
            buffer.append(hex: UInt64(value))
        case let .bytes(scale):
            buffer.append(byteSize: UInt64(value) * UInt64(scale))
        case .bytesPlusOne:
            buffer.append(byteSize: UInt64(value) + 1)
        case .log2Bytes:
            buffer.append("2^")
            buffer.append(decimal: UInt64(value))
            buffer.append(" bytes")
            if value < 64 {
                buffer.append(" (")
                buffer.append(byteSize: UInt64(1) << UInt64(value))
                buffer.append(UInt8(ascii: ")"))
            }
        case .bitWidth:
            buffer.append(decimal: UInt64(value))
            buffer.append(" bits")
        case .megahertz:
            buffer.append(decimal: UInt64(value))
            buffer.append(" MHz")
        case .ways:
            switch value {
            case 0: buffer.append("reserved (0)")
            case 0xff: buffer.append("fully associative")
            default:
                buffer.append(decimal: UInt64(value))
                buffer.append("-way")
            }
        case let .choice(choices):
            if let label = choices.label(for: value) {
                buffer.append(label)
            } else {
                buffer.append("reserved")
            }
            buffer.append(" (")
            buffer.append(decimal: UInt64(value))
            buffer.append(UInt8(ascii: ")"))
        case let .text(words):
            buffer.append(words)
        }
    }
}

/// The labels of an enumerated field, e.g. cache types. Values without a label read as `reserved`.
public struct Choices: Hashable, Sendable {
    private let labels: [String?]

    /// Labels indexed by value, for small dense enumerations.
    public init(_ labels: [String?]) { self.labels = labels }

    /// Labels for sparse values, e.g. hybrid core types 0x20 and 0x40.
    public init(sparse: [(UInt32, String)]) {
        let top = Int(sparse.map(\.0).max() ?? 0)
        var labels = [String?](repeating: nil, count: top + 1)
        for (value, label) in sparse { labels[Int(value)] = label }
        self.labels = labels
    }

    public func label(for value: UInt32) -> String? {
        Int(value) < labels.count ? labels[Int(value)] : nil
    }
}
