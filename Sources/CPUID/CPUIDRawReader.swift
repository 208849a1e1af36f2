/// Reads Todd Allen's `cpuid -r` output: `CPU:` or `CPU N:` headers, then one line per (leaf, subleaf):
/// `   0x00000007 0x00: eax=0x00000002 ebx=0xf1bf27eb ecx=0x1b415fde edx=0xbfd14410`.
/// Lines before any header belong to CPU 0; `CPU:` (from `cpuid -1`) is CPU 0 too. Older versions of
/// `cpuid` printed no subleaf column (`   0x00000001: eax=...`); such lines are subleaf 0.
enum CPUIDRawReader {
    /// The line as `cpuid -r` prints it; anything else takes the general path.
    static let canonical = LineTemplate("   0xHHHHHHHH 0xHH: eax=0xHHHHHHHH ebx=0xHHHHHHHH ecx=0xHHHHHHHH edx=0xHHHHHHHH")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        var lines = TextLines(bytes)
        var collector = CPUCollector(file: file)
        let canonical = Self.canonical
        while let line = lines.next() {
            if line.end - line.start == canonical.length, canonical.matches(bytes, at: line.start, end: line.end),
               let leaf = LineCursor.hex8(bytes, line.start + 5),
               let high = LineCursor.hexValue(bytes[line.start + 16]), let low = LineCursor.hexValue(bytes[line.start + 17]),
               let eax = LineCursor.hex8(bytes, line.start + 26), let ebx = LineCursor.hex8(bytes, line.start + 41),
               let ecx = LineCursor.hex8(bytes, line.start + 56), let edx = LineCursor.hex8(bytes, line.start + 71) {
                try collector.add(CPUIDEntry(key: LeafKey(leaf, high << 4 | low),
                                             registers: Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx),
                                             significantIndex: SubleafRules.hasSubleaves(leaf)),
                                  line: line.number)
                continue
            }
            var c = LineCursor(bytes, line, file: file)
            c.skipBlanks()
            if c.atEnd { continue }
            if DumpTrailer.isTrailerLine(bytes, line) { break }
            if c.skip("CPU") {
                var number = 0
                if !c.skip(":") {
                    guard c.skip(" ") else { throw c.error("`CPU:` or `CPU N:`") }
                    c.skipBlanks()
                    number = try c.decimal("the CPU number")
                    try c.expect(":")
                }
                try c.expectEnd()
                try collector.begin(cpu: number, line: line.number)
                continue
            }
            guard c.skip("0x") else { throw c.error("a leaf line `0x<leaf> 0x<subleaf>: eax=...` or a `CPU N:` header") }
            let leaf = try c.hexWord("the leaf")
            var subleaf: UInt32 = 0
            if !c.skip(":") {
                guard c.current == 32 else { throw c.error("a space and the subleaf, or `:`") }
                c.skipBlanks()
                try c.expect("0x")
                subleaf = try c.hexNumber("the subleaf")
                try c.expect(":")
            }
            c.skipBlanks()
            try c.expect("eax=0x")
            let eax = try c.hexWord("EAX")
            c.skipBlanks()
            try c.expect("ebx=0x")
            let ebx = try c.hexWord("EBX")
            c.skipBlanks()
            try c.expect("ecx=0x")
            let ecx = try c.hexWord("ECX")
            c.skipBlanks()
            try c.expect("edx=0x")
            let edx = try c.hexWord("EDX")
            try c.expectEnd()
            try collector.add(CPUIDEntry(key: LeafKey(leaf, subleaf),
                                         registers: Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx),
                                         significantIndex: SubleafRules.hasSubleaves(leaf)),
                              line: line.number)
        }
        return try collector.finish()
    }
}
