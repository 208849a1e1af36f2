import CPUID

/// Leaves 0x80000002-0x80000004: the 48-byte processor brand string, shown as one field.
public struct BrandStringDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x8000_0002, 0x8000_0003, 0x8000_0004]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        guard ImplementedLeaves.contains(0x8000_0004, in: snapshot) else { return }
        var words: [UInt32] = []
        words.reserveCapacity(12)
        for leaf in leaves {
            guard let r = snapshot.registers(leaf) else { return }
            words += [r.eax, r.ebx, r.ecx, r.edx]
        }
        var text = Substring(Snapshot.ascii(words))
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        fields.append(DecodedField(field: CPUIDField(0x8000_0002, 0, .eax, bits: 31, 0), name: "brand_string",
                             value: words[0], reading: .text(text.isEmpty ? "(empty)" : String(text))))
    }
}
