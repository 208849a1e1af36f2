/// Reads AIDA64 / InstLatx64 CPUID dumps. Entry lines are `CPUID 00000007: EAX-EBX-ECX-EDX [SL 00]`
/// (the older form separates leaf and registers with blanks or a tab instead of `: `), optionally
/// followed by bracketed comments (`[GenuineIntel]`, `[x87]`). A CPU starts at any of the headers
/// `------[ CPUID Registers / Logical CPU #N ]------`, `------[ Logical CPU #N ]------`,
/// `CPU#000 AffMask: 0x...` or `CPUID Registers (CPU #N):` (each possibly marked `Virtual`).
/// Full AIDA64 reports hold other sections (`------[ Versions ]------`, ...); their lines are not CPUID
/// data and are passed over up to the next CPU header, while a CPUID or logical-CPU header without its
/// `#N` is an error rather than a section to skip.
/// Older dumps list an indexed leaf's subleaves on consecutive lines without `[SL nn]`; such a line
/// repeating the previous line's indexed leaf is the next subleaf.
enum AIDAReader {
    /// The entry line as AIDA64 prints it; the tail (`[SL nn]`, comments) follows at `canonical.length`.
    static let canonical = LineTemplate("CPUID HHHHHHHH: HHHHHHHH-HHHHHHHH-HHHHHHHH-HHHHHHHH")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        var lines = TextLines(bytes)
        var collector = CPUCollector(file: file)
        var previous: LeafKey?
        var inOtherSection = false
        let canonical = Self.canonical
        while let line = lines.next() {
            var c = LineCursor(bytes, line, file: file)
            if !inOtherSection, canonical.matches(bytes, at: line.start, end: line.end),
               let leaf = LineCursor.hex8(bytes, line.start + 6),
               let eax = LineCursor.hex8(bytes, line.start + 16), let ebx = LineCursor.hex8(bytes, line.start + 25),
               let ecx = LineCursor.hex8(bytes, line.start + 34), let edx = LineCursor.hex8(bytes, line.start + 43),
               line.end == line.start + canonical.length || bytes[line.start + canonical.length] == 32 {
                c.index = line.start + canonical.length
                try entry(leaf, Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx), &c, &previous, &collector)
                continue
            }
            c.skipBlanks()
            if c.atEnd { continue }
            if DumpTrailer.isTrailerLine(bytes, line) { break }
            if inOtherSection, !(c.looksAt("------[") || c.looksAt("CPU#") || c.looksAt("CPUID Registers (CPU #")) { continue }
            if c.skip("CPUID") {
                if c.skip(" Registers (CPU #") {
                    let number = try c.decimal("the CPU number")
                    c.skipBlanks()
                    _ = c.skip("Virtual")
                    try c.expect("):")
                    try c.expectEnd()
                    try collector.begin(cpu: number, line: line.number)
                    previous = nil
                    inOtherSection = false
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
                try entry(leaf, Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx), &c, &previous, &collector)
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
                inOtherSection = false
                continue
            }
            if c.skip("------[") {
                let titleStart = c.index
                while let byte = c.current, byte != UInt8(ascii: "#"), byte != UInt8(ascii: "]") { c.index += 1 }
                if c.skip("#") {
                    let number = try c.decimal("the CPU number")
                    c.skipBlanks()
                    _ = c.skip("Virtual")
                    c.skipBlanks()
                    try c.expect("]")
                    try collector.begin(cpu: number, line: line.number)
                    previous = nil
                    inOtherSection = false
                    continue
                }
                let title = String(decoding: UnsafeBufferPointer(rebasing: bytes[titleStart..<c.index]), as: UTF8.self)
                if title.contains("CPUID") || title.contains("Logical CPU") {
                    throw c.error("`#N`, the logical CPU's number, in the header")
                }
                // Another section of a full AIDA64 report (`------[ Versions ]------`, `------[ CPU Info ]------`).
                try collector.close()
                inOtherSection = true
                continue
            }
            throw c.error("a `CPUID xxxxxxxx: ...` line or a logical CPU header")
        }
        return try collector.finish()
    }

    /// The rest of an entry line after the registers: `[SL nn]` and bracketed comments.
    @inline(__always)
    private static func entry(_ leaf: UInt32, _ registers: Registers, _ c: inout LineCursor, _ previous: inout LeafKey?,
                              _ collector: inout CPUCollector) throws(DumpError) {
        c.skipBlanks()
        var subleaf: UInt32 = 0
        if c.skip("[SL ") {
            subleaf = try c.hexNumber("the subleaf")
            try c.expect("]")
            c.skipBlanks()
        } else if let last = previous, last.leaf == leaf, SubleafRules.hasSubleaves(leaf) {
            subleaf = last.subleaf + 1
        }
        previous = LeafKey(leaf, subleaf)
        if !c.atEnd {
            guard c.current == UInt8(ascii: "[") else { throw c.error("`[SL nn]`, a `[comment]` or the end of the line") }
            while let b = c.current {
                if (b < 32 && b != 9) || b == 127 { throw c.error("text in the comment") }
                c.index += 1
            }
        }
        try collector.add(CPUIDEntry(key: LeafKey(leaf, subleaf), registers: registers,
                                     significantIndex: SubleafRules.hasSubleaves(leaf)),
                          line: c.line.number)
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
