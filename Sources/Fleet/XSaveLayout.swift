import CPUID

/// Recomputes leaf 0xD for a set of enabled state components, with each component's size and offset
/// taken from the table's own subleaves (architectural: the same on every CPU of a vendor).
public enum XSaveLayout {
    /// The legacy region (512 bytes) plus the XSAVE header (64 bytes).
    static let legacyAndHeader: UInt32 = 576

    /// Sets 0xD.0 EAX/EDX to `xcr0`, 0xD.1 ECX/EDX to `xss`, both size registers to the components
    /// enabled, and removes the subleaves of components no longer enabled.
    public static func apply(xcr0: UInt64, xss: UInt64, to table: inout Snapshot) {
        guard table.entry(0xD, 0) != nil else { return }
        let enabled = xcr0 | xss
        for entry in table.subleaves(of: 0xD) where entry.subleaf >= 2 && entry.subleaf < 64 {
            if enabled & (UInt64(1) << UInt64(entry.subleaf)) == 0 { table.remove(0xD, entry.subleaf) }
        }
        var standard = legacyAndHeader
        var compacted = legacyAndHeader
        for component in 2..<64 where enabled & (UInt64(1) << UInt64(component)) != 0 {
            guard let r = table.registers(0xD, UInt32(component)) else { continue }
            if xcr0 & (UInt64(1) << UInt64(component)) != 0 { standard = max(standard, r.ebx &+ r.eax) }
            if r.ecx & 0x2 != 0 { compacted = (compacted + 63) & ~63 }
            compacted &+= r.eax
        }
        table.set(0xD, 0, .eax, to: UInt32(truncatingIfNeeded: xcr0))
        table.set(0xD, 0, .edx, to: UInt32(truncatingIfNeeded: xcr0 >> 32))
        table.set(0xD, 0, .ebx, to: standard)
        table.set(0xD, 0, .ecx, to: standard)
        if table.entry(0xD, 1) != nil {
            table.set(0xD, 1, .ecx, to: UInt32(truncatingIfNeeded: xss))
            table.set(0xD, 1, .edx, to: UInt32(truncatingIfNeeded: xss >> 32))
            table.set(0xD, 1, .ebx, to: compacted)
        }
    }

    public static func xcr0(of table: Snapshot) -> UInt64 {
        UInt64(table.value(0xD, 0, .eax)) | UInt64(table.value(0xD, 0, .edx)) << 32
    }

    public static func xss(of table: Snapshot) -> UInt64 {
        UInt64(table.value(0xD, 1, .ecx)) | UInt64(table.value(0xD, 1, .edx)) << 32
    }
}
