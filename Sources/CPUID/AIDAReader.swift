/// Reads AIDA64 / InstLatx64 CPUID dumps. Entry lines are `CPUID 00000007: EAX-EBX-ECX-EDX [SL 00]`
/// (the older form separates leaf and registers with blanks or a tab instead of `: `), optionally
/// followed by bracketed comments (`[GenuineIntel]`, `[x87]`). A CPU starts at any of the headers
/// `------[ CPUID Registers / Logical CPU #N ]------`, `------[ Logical CPU #N ]------`,
/// `CPU#000 AffMask: 0x...` or `CPUID Registers (CPU #N):` (each possibly marked `Virtual`).
/// Older dumps list an indexed leaf's subleaves on consecutive lines without `[SL nn]`; such a line
/// repeating the previous line's indexed leaf is the next subleaf.
enum AIDAReader {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        var lines = TextLines(bytes)
        var collector = CPUCollector(file: file)
        var previous: LeafKey?
        while let line = lines.next() {
            var c = LineCursor(bytes, line, file: file)
            c.skipBlanks()
            if c.atEnd { continue }
            if DumpTrailer.isTrailerLine(bytes, line) { break }
            if c.skip("CPUID") {
                if c.skip(" Registers (CPU #") {
                    let number = try c.decimal("the CPU number")
                    c.skipBlanks()
                    _ = c.skip("Virtual")
                    try c.expect("):")
                    try c.expectEnd()
                    try collector.begin(cpu: number, line: line.number)
                    previous = nil
                    continue
                }
                guard let next = c.current, next == 32 || next == 9 else { throw c.error("a blank after `CPUID`") }
                c.skipBlanks()
                let leaf = try c.hexWord("the leaf")
                _ = c.skip(":")
                guard let sep = c.current, sep == 32 || sep == 9 else { throw c.error("a blank before the registers") }
                c.skipBlanks()
                let eax = try c.hexWord("EAX")
                try c.expect("-")
                let ebx = try c.hexWord("EBX")
                try c.expect("-")
                let ecx = try c.hexWord("ECX")
                try c.expect("-")
                let edx = try c.hexWord("EDX")
                c.skipBlanks()
                var subleaf: UInt32 = 0
                if c.skip("[SL ") {
                    subleaf = try c.hexNumber("the subleaf")
                    try c.expect("]")
                    c.skipBlanks()
                } else if let previous, previous.leaf == leaf, SubleafRules.hasSubleaves(leaf) {
                    subleaf = previous.subleaf + 1
                }
                previous = LeafKey(leaf, subleaf)
                if !c.atEnd, c.current != UInt8(ascii: "[") { throw c.error("`[SL nn]`, a `[comment]` or the end of the line") }
                try collector.add(CPUIDEntry(key: LeafKey(leaf, subleaf),
                                             registers: Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx),
                                             significantIndex: SubleafRules.hasSubleaves(leaf)),
                                  line: line.number)
                continue
            }
            if c.skip("CPU#") {
                let listed = try c.decimal("the CPU number")
                c.skipBlanks()
                try c.expect("AffMask:")
                c.skipBlanks()
                try c.expect("0x")
                let number = try affinityCPU(&c) ?? listed
                try c.expectEnd()
                try collector.begin(cpu: number, line: line.number)
                previous = nil
                continue
            }
            if c.skip("------[") {
                while let byte = c.current, byte != UInt8(ascii: "#") { c.index += 1 }
                guard c.skip("#") else { throw c.error("`#N`, the logical CPU's number, in the header") }
                let number = try c.decimal("the CPU number")
                c.skipBlanks()
                _ = c.skip("Virtual")
                c.skipBlanks()
                try c.expect("]")
                try collector.begin(cpu: number, line: line.number)
                previous = nil
                continue
            }
            throw c.error("a `CPUID xxxxxxxx: ...` line or a logical CPU header")
        }
        return try collector.finish()
    }

    /// The logical CPU an affinity mask names: its lowest set bit. InstLatx64 numbers `CPU#nnn` per
    /// core in some dumps (two threads both `CPU#000`), while the mask always tells them apart.
    private static func affinityCPU(_ c: inout LineCursor) throws(DumpError) -> Int? {
        let start = c.index
        while let b = c.current, LineCursor.hexValue(b) != nil { c.index += 1 }
        guard c.index > start else { throw c.error("hex digits of the affinity mask") }
        var bit = 0
        var i = c.index - 1
        while i >= start {
            let digit = LineCursor.hexValue(c.bytes[i]) ?? 0
            if digit != 0 { return bit + digit.trailingZeroBitCount }
            bit += 4
            i -= 1
        }
        return nil
    }
}
