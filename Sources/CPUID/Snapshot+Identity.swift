/// The identity facts every report starts from: vendor, brand, signature and leaf ranges.
extension Snapshot {
    /// The 12-character vendor string from leaf 0 (EBX, EDX, ECX), e.g. `GenuineIntel`.
    public var vendor: String {
        guard let r = registers(0) else { return "" }
        return Self.ascii([r.ebx, r.edx, r.ecx])
    }

    /// The hypervisor vendor signature from leaf 0x40000000 (EBX, ECX, EDX), e.g. `KVMKVMKVM`.
    public var hypervisorVendor: String? {
        guard isSet(CPUIDField(1, 0, .ecx, bit: 31)), let r = registers(0x4000_0000) else { return nil }
        return Self.ascii([r.ebx, r.ecx, r.edx])
    }

    /// The brand string from leaves 0x80000002-0x80000004, trimmed; nil when the CPU has none.
    public var brand: String? {
        guard maxExtendedLeaf >= 0x8000_0004 else { return nil }
        var words: [UInt32] = []
        for leaf in UInt32(0x8000_0002)...0x8000_0004 {
            guard let r = registers(leaf) else { return nil }
            words += [r.eax, r.ebx, r.ecx, r.edx]
        }
        let text = Self.ascii(words).trimmingSpaces()
        return text.isEmpty ? nil : text
    }

    /// Highest basic leaf (leaf 0 EAX); 0 when leaf 0 is missing.
    public var maxBasicLeaf: UInt32 { value(0, 0, .eax) }

    /// Highest extended leaf (0x80000000 EAX), or 0 when the range is not implemented.
    public var maxExtendedLeaf: UInt32 {
        let v = value(0x8000_0000, 0, .eax)
        return v & 0xffff_0000 == 0x8000_0000 ? v : 0
    }

    /// The family/model/stepping signature from leaf 1 EAX.
    public var signature: CPUSignature { CPUSignature(eax: value(1, 0, .eax)) }

    /// Decodes little-endian register words into ASCII, stopping at the first NUL.
    public static func ascii(_ words: [UInt32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 4)
        outer: for word in words {
            for shift in stride(from: 0, to: 32, by: 8) {
                let byte = UInt8(truncatingIfNeeded: word >> UInt32(shift))
                if byte == 0 { break outer }
                bytes.append(byte >= 0x20 && byte < 0x7f ? byte : UInt8(ascii: "?"))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}

/// Family, model and stepping with the extended fields applied as Linux does (x86_family/x86_model).
public struct CPUSignature: Hashable, Sendable, CustomStringConvertible {
    public var raw: UInt32
    public var baseFamily: UInt32 { (raw >> 8) & 0xf }
    public var extendedFamily: UInt32 { (raw >> 20) & 0xff }
    public var baseModel: UInt32 { (raw >> 4) & 0xf }
    public var extendedModel: UInt32 { (raw >> 16) & 0xf }
    public var stepping: UInt32 { raw & 0xf }
    /// Processor type, EAX[13:12] (0 original OEM, 1 OverDrive, 2 dual).
    public var processorType: UInt32 { (raw >> 12) & 0x3 }

    public init(eax: UInt32) { raw = eax }

    /// Extended family is added only when the base family is 0xF.
    public var family: UInt32 { baseFamily == 0xf ? baseFamily + extendedFamily : baseFamily }

    /// Extended model counts from family 6 on (Linux's rule, which covers Intel's 6 and 0xF and AMD's 0xF+).
    public var model: UInt32 { baseFamily >= 6 ? baseModel | (extendedModel << 4) : baseModel }

    public var description: String {
        "family \(family) (0x\(String(family, radix: 16))), model \(model) (0x\(String(model, radix: 16))), stepping \(stepping)"
    }
}
