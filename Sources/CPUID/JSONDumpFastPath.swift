/// Reads vcpuid JSON laid out exactly as `DumpWriter` writes it, line by line with fixed offsets, without
/// building a JSON tree: fleets hold many thousands of such files. Any other layout (hand-written, reformatted,
/// another tool's) returns nil and goes through the general parser, which also owns every error message.
enum JSONDumpFastPath {
    private static let entryHead = LineTemplate(#"        {"leaf": "0xHHHHHHHH", "subleaf": "0x"#)
    private static let entryRegisters = LineTemplate(#"", "eax": "0xHHHHHHHH", "ebx": "0xHHHHHHHH", "ecx": "0xHHHHHHHH", "edx": "0xHHHHHHHH", "indexed": "#)
    private static let msrHead = LineTemplate(#"        {"index": "0xHHHHHHHH", "value": "#)

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> [LogicalCPU]? {
        var lines = TextLines(bytes)
        func next() -> TextLine? { lines.next() }
        func line(_ line: TextLine?, is literal: StaticString) -> Bool {
            guard let line else { return false }
            var c = LineCursor(bytes, line, file: file)
            return c.skip(literal) && c.atEnd
        }
        guard line(next(), is: "{"), line(next(), is: #"  "format": "vcpuid-dump","#),
              line(next(), is: #"  "version": 1,"#), let origin = next(), isOriginLine(bytes, origin, file) else { return nil }
        guard let cpusLine = next() else { return nil }
        var collector = CPUCollector(file: file)
        if line(cpusLine, is: #"  "cpus": []"#) {
            return line(next(), is: "}") && next() == nil ? (try? collector.finish()) : nil
        }
        guard line(cpusLine, is: #"  "cpus": ["#) else { return nil }
        while true {
            guard line(next(), is: "    {"), let cpuLine = next() else { return nil }
            var c = LineCursor(bytes, cpuLine, file: file)
            guard c.skip(#"      "cpu": "#), let number = try? c.decimal(""), c.skip(","), c.atEnd,
                  (try? collector.begin(cpu: number, line: cpuLine.number)) != nil, let entriesLine = next() else { return nil }
            var closing: TextLine?
            if line(entriesLine, is: #"      "entries": []"#) || line(entriesLine, is: #"      "entries": [],"#) {
                closing = entriesLine
            } else {
                guard line(entriesLine, is: #"      "entries": ["#) else { return nil }
                while let entryLine = next() {
                    if line(entryLine, is: "      ]") || line(entryLine, is: "      ],") {
                        closing = entryLine
                        break
                    }
                    guard let entry = entry(bytes, entryLine), (try? collector.add(entry, line: entryLine.number)) != nil else { return nil }
                }
            }
            guard let closing else { return nil }
            if bytes[closing.end - 1] == UInt8(ascii: ",") {
                guard line(next(), is: #"      "msrs": ["#) else { return nil }
                var closed = false
                while let msrLine = next() {
                    if line(msrLine, is: "      ]") {
                        closed = true
                        break
                    }
                    guard let msr = msr(bytes, msrLine), (try? collector.add(msr, line: msrLine.number)) != nil else { return nil }
                }
                guard closed else { return nil }
            }
            guard let end = next() else { return nil }
            if line(end, is: "    },") { continue }
            guard line(end, is: "    }"), line(next(), is: "  ]"), line(next(), is: "}"), next() == nil else { return nil }
            return try? collector.finish()
        }
    }

    /// `  "origin": "…",`: any JSON string without raw control bytes (DumpReader has refused those already).
    private static func isOriginLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextLine, _ file: String) -> Bool {
        var c = LineCursor(bytes, line, file: file)
        guard c.skip(#"  "origin": ""#) else { return false }
        while let b = c.current {
            c.index += 1
            if b == UInt8(ascii: "\\") {
                guard c.current != nil else { return false }
                c.index += 1
            } else if b == UInt8(ascii: "\"") {
                return c.skip(",") && c.atEnd
            }
        }
        return false
    }

    /// `{"leaf": "0x…", "subleaf": "0x…", "eax": …, "indexed": true},` as `DumpWriter.renderJSON` writes it.
    private static func entry(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextLine) -> CPUIDEntry? {
        let head = entryHead, registers = entryRegisters
        guard head.matches(bytes, at: line.start, end: line.end), let leaf = LineCursor.hex8(bytes, line.start + 20) else { return nil }
        var i = line.start + head.length
        var subleaf: UInt32 = 0
        var digits = 0
        while i < line.end, let digit = lowerHexValue(bytes[i]) {
            guard digits < 8 else { return nil }
            subleaf = subleaf << 4 | digit
            digits += 1
            i += 1
        }
        // The writer's spelling: at least two lower-case digits, no more than the value needs.
        guard digits >= 2, digits == 2 || subleaf >> UInt32((digits - 1) * 4) != 0,
              registers.matches(bytes, at: i, end: line.end),
              let eax = LineCursor.hex8(bytes, i + 13), let ebx = LineCursor.hex8(bytes, i + 34),
              let ecx = LineCursor.hex8(bytes, i + 55), let edx = LineCursor.hex8(bytes, i + 76) else { return nil }
        var c = LineCursor(bytes, line, file: "")
        c.index = i + registers.length
        let indexed: Bool
        if c.skip("true}") { indexed = true } else if c.skip("false}") { indexed = false } else { return nil }
        _ = c.skip(",")
        guard c.atEnd, isLowerHex(bytes, line.start + 20, 8), isLowerHex(bytes, i + 13, 8), isLowerHex(bytes, i + 34, 8),
              isLowerHex(bytes, i + 55, 8), isLowerHex(bytes, i + 76, 8) else { return nil }
        return CPUIDEntry(key: LeafKey(leaf, subleaf), registers: Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx),
                          significantIndex: indexed)
    }

    /// `{"index": "0x…", "value": "0x…"}` or `"value": null}`, with a comma except on the last line.
    private static func msr(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextLine) -> MSR? {
        guard msrHead.matches(bytes, at: line.start, end: line.end), let index = LineCursor.hex8(bytes, line.start + 21),
              isLowerHex(bytes, line.start + 21, 8) else { return nil }
        var c = LineCursor(bytes, line, file: "")
        c.index = line.start + msrHead.length
        let value: MSRValue
        if c.skip("null}") {
            value = .faulted
        } else {
            guard c.skip(#""0x"#), c.line.end - c.index >= 18, let high = LineCursor.hex8(bytes, c.index),
                  let low = LineCursor.hex8(bytes, c.index + 8), isLowerHex(bytes, c.index, 16) else { return nil }
            c.index += 16
            guard c.skip(#""}"#) else { return nil }
            value = .value(UInt64(high) << 32 | UInt64(low))
        }
        _ = c.skip(",")
        return c.atEnd ? MSR(index, value) : nil
    }

    @inline(__always)
    private static func lowerHexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 48...57: UInt32(b - 48)
        case 97...102: UInt32(b - 87)
        default: nil
        }
    }

    /// The writer prints lower-case digits; anything else is left to the general parser.
    private static func isLowerHex(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Bool {
        for k in 0..<count where bytes[start + k] >= 65 && bytes[start + k] <= 70 { return false }
        return true
    }
}
