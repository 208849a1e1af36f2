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
        var buffer: [UInt8] = []
        render(value, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the reading of `value` to `buffer` without building intermediate strings.
    public func render(_ value: UInt32, into buffer: inout [UInt8]) {
        switch self {
        case .flag:
            buffer.append(text: value != 0 ? "yes" : "no")
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
            buffer.append(text: "2^")
            buffer.append(decimal: UInt64(value))
            buffer.append(text: " bytes")
            if value < 64 {
                buffer.append(text: " (")
                buffer.append(byteSize: UInt64(1) << UInt64(value))
                buffer.append(UInt8(ascii: ")"))
            }
        case .bitWidth:
            buffer.append(decimal: UInt64(value))
            buffer.append(text: " bits")
        case .megahertz:
            buffer.append(decimal: UInt64(value))
            buffer.append(text: " MHz")
        case .ways:
            switch value {
            case 0: buffer.append(text: "reserved (0)")
            case 0xff: buffer.append(text: "fully associative")
            default:
                buffer.append(decimal: UInt64(value))
                buffer.append(text: "-way")
            }
        case let .choice(choices):
            if let label = choices.label(for: value) {
                buffer.append(text: label)
            } else {
                buffer.append(text: "reserved")
            }
            buffer.append(text: " (")
            buffer.append(decimal: UInt64(value))
            buffer.append(UInt8(ascii: ")"))
        case let .text(words):
            buffer.append(text: words)
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

extension [UInt8] {
    /// Appends a string's UTF-8 bytes.
    @inline(__always)
    mutating func append(text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    mutating func append(decimal value: UInt64) {
        if value < 10 {
            append(UInt8(truncatingIfNeeded: value) + 48)
            return
        }
        var length = 1
        var scan = value
        while scan >= 10 {
            scan /= 10
            length += 1
        }
        let end = count + length
        append(contentsOf: repeatElement(UInt8(48), count: length))
        var v = value
        var i = end - 1
        while v > 0 {
            self[i] = UInt8(truncatingIfNeeded: v % 10) + 48
            v /= 10
            i -= 1
        }
    }

    /// `0x` followed by the hex digits of `value` without leading zeros.
    mutating func append(hex value: UInt64) {
        append(contentsOf: [48, 120])
        var shift = 60
        while shift > 0 && (value >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
        while shift >= 0 {
            append(Self.hexDigits[Int((value >> UInt64(shift)) & 0xf)])
            shift -= 4
        }
    }

    /// Exactly eight hex digits with `0x`, the way raw registers are shown.
    mutating func append(word value: UInt32) {
        append(contentsOf: [48, 120])
        var shift = 28
        while shift >= 0 {
            append(Self.hexDigits[Int((value >> UInt32(shift)) & 0xf)])
            shift -= 4
        }
    }

    /// `576 bytes`, or a whole number of KiB/MiB/GiB/TiB when the size divides evenly.
    mutating func append(byteSize bytes: UInt64) {
        let units = Self.byteUnits
        var value = bytes
        var unit = -1
        while value >= 1024 && value % 1024 == 0 && unit + 1 < units.count {
            value /= 1024
            unit += 1
        }
        append(decimal: value)
        append(text: unit < 0 ? (value == 1 ? " byte" : " bytes") : units[unit])
    }

    static let byteUnits = [" KiB", " MiB", " GiB", " TiB", " PiB", " EiB"]
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
