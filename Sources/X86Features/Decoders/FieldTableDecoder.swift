import CPUID

/// A decoder whose every field comes from a `FieldTable` chosen per answer (by vendor, subleaf, or the
/// subleaves before it). Saying which table decodes an answer is all it has to do: decoding follows
/// from it, and the renderer prints straight from the table without building `DecodedField`s.
public protocol FieldTableDecoder: LeafDecoder {
    /// The table for this answer of one of `leaves`, or nil when the decoder shows nothing for it
    /// (a subleaf past the last one the CPU enumerates, a vendor that reserves the leaf, ...).
    func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable?
}

extension FieldTableDecoder {
    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        for leaf in leaves where ImplementedLeaves.contains(leaf, in: snapshot) {
            for entry in snapshot.subleaves(of: leaf) {
                table(for: entry, in: snapshot)?.decode(leaf: leaf, subleaf: entry.subleaf, entry.registers,
                                                        into: &fields)
            }
        }
    }
}

extension Snapshot {
    /// Whether a subleaf before `subleaf` of `leaf` ended the enumeration (its `isEnd` is true), as
    /// a level of type 0 ends leaves 4, 0xB, 0x1F and 0x8000001D.
    func enumerationEnded(before subleaf: UInt32, of leaf: UInt32, isEnd: (Registers) -> Bool) -> Bool {
        subleaves(of: leaf).contains { $0.subleaf < subleaf && isEnd($0.registers) }
    }
}
