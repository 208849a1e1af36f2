import CPUID
import FoundationEssentials

/// The inventory's stored form of a snapshot: every entry and MSR, little-endian, versioned, so that a
/// stored host reads back exactly as it was added.
///
/// Layout (version 1): `01`, entry count (u32), per entry leaf, subleaf, EAX, EBX, ECX, EDX (u32 each) and
/// a flags byte (bit 0: significant index); MSR count (u32), per MSR index (u32), a kind byte (0 value,
/// 1 faulted) and the value (u64).
public enum SnapshotCoding {
    public static let version: UInt8 = 1

    public static func encode(_ snapshot: Snapshot) -> Data {
        var bytes: [UInt8] = [version]
        bytes.reserveCapacity(9 + snapshot.count * 25 + snapshot.msrs.count * 13)
        append(UInt32(snapshot.count), to: &bytes)
        for entry in snapshot.entries {
            for value in [entry.leaf, entry.subleaf, entry.registers.eax, entry.registers.ebx,
                          entry.registers.ecx, entry.registers.edx] {
                append(value, to: &bytes)
            }
            bytes.append(entry.significantIndex ? 1 : 0)
        }
        append(UInt32(snapshot.msrs.count), to: &bytes)
        for msr in snapshot.msrs {
            append(msr.index, to: &bytes)
            bytes.append(msr.value.bits == nil ? 1 : 0)
            let value = msr.value.bits ?? 0
            append(UInt32(truncatingIfNeeded: value), to: &bytes)
            append(UInt32(truncatingIfNeeded: value >> 32), to: &bytes)
        }
        return Data(bytes)
    }

    public static func decode(_ data: Data) throws(InventoryError) -> Snapshot {
        do {
            var reader = Reader(bytes: [UInt8](data))
            guard try reader.byte() == version else { throw InventoryError.corrupt("a stored snapshot has an unknown version") }
            let count = Int(try reader.word())
            var entries: [CPUIDEntry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let leaf = try reader.word()
                let subleaf = try reader.word()
                let registers = Registers(eax: try reader.word(), ebx: try reader.word(), ecx: try reader.word(), edx: try reader.word())
                let flags = try reader.byte()
                entries.append(CPUIDEntry(key: LeafKey(leaf, subleaf), registers: registers, significantIndex: flags & 1 != 0))
            }
            let msrCount = Int(try reader.word())
            var msrs: [MSR] = []
            for _ in 0..<msrCount {
                let index = try reader.word()
                let kind = try reader.byte()
                let value = UInt64(try reader.word()) | UInt64(try reader.word()) << 32
                msrs.append(MSR(index, kind == 1 ? .faulted : .value(value)))
            }
            return Snapshot(entries, msrs: msrs)
        }
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() throws(InventoryError) -> UInt8 {
            guard offset < bytes.count else { throw InventoryError.corrupt("a stored snapshot is truncated") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func word() throws(InventoryError) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw InventoryError.corrupt("a stored snapshot is truncated") }
            defer { offset += 4 }
            return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
        }
    }
}
