import CPUID

/// Leaves 0x80000002-0x80000004: the 48-byte processor brand string, shown as one field.
public struct BrandStringDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x8000_0002, 0x8000_0003, 0x8000_0004]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        guard ImplementedLeaves.contains(0x8000_0004, in: snapshot),
              leaves.allSatisfy({ snapshot.entry($0) != nil }) else { return }
        // Snapshot.brand reads and trims the same 48 bytes; nil there now means only spaces or NULs.
        fields.append(DecodedField(field: CPUIDField(0x8000_0002, 0, .eax, bits: 31, 0), name: "brand_string",
                                   value: snapshot.value(0x8000_0002, 0, .eax), reading: .text(snapshot.brand ?? "(empty)")))
    }
}
