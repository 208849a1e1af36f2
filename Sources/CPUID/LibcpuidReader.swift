/// Reads libcpuid's raw data (`cpuid_serialize_raw_data`): lines `key[index]=eax ebx ecx edx` under
/// optional `_________________ Logical CPU #N _________________` headers, up to a line of 80 dashes
/// after which libcpuid's test files hold its own decoding (not part of the raw data).
///
/// libcpuid stores fixed-size arrays and writes every slot, so slots beyond what the CPU enumerates
/// are padding, not data. The rules (the same ones a live walk uses):
/// - `basic_cpuid[i]` is leaf i, kept for i ≤ basic_cpuid[0].EAX (the highest basic leaf);
/// - `ext_cpuid[i]` is leaf 0x80000000+i, index 0 always kept, others only when 0x80000000+i ≤ the
///   highest extended leaf (and that maximum is a sane 0x8000xxxx value);
/// - a subleaf array (`intel_fn4`, `intel_fn11`, ...) is data only when its leaf is within range, and
///   then only the subleaves its leaf's `Enumeration` rule reaches; it supersedes the basic/extended
///   slot for subleaf 0, which libcpuid also ran with ECX=0.
enum LibcpuidReader {
    /// Subleaf arrays: key → leaf.
    static let subleafArrays: [(key: String, leaf: UInt32)] = [
        ("intel_fn4", 0x4),
        ("intel_fn11", 0xB),
        ("intel_fn12h", 0x12),
        ("intel_fn14h", 0x14),
        ("amd_fn8000001dh", 0x8000_001D),
        ("amd_fn80000026h", 0x8000_0026),
    ]

    static let knownKeys: [String] = ["basic_cpuid", "ext_cpuid"] + subleafArrays.map(\.key)

    private struct Slot {
        var registers: Registers
        var line: Int
    }

    private struct CPUData {
        var number: Int
        var headerLine: Int
        var arrays: [String: [Int: Slot]] = [:]
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        var lines = TextLines(bytes)
        var collector = CPUCollector(file: file)
        var current: CPUData?
        while let line = lines.next() {
            var c = LineCursor(bytes, line, file: file)
            c.skipBlanks()
            if c.atEnd { continue }
            if DumpTrailer.isTrailerLine(bytes, line) { break }
            if c.current == UInt8(ascii: "_") {
                while c.current == UInt8(ascii: "_") { c.index += 1 }
                c.skipBlanks()
                try c.expect("Logical CPU #")
                let number = try c.decimal("the CPU number")
                if let data = current { try emit(data, into: &collector, file: file) }
                current = CPUData(number: number, headerLine: line.number)
                try collector.begin(cpu: number, line: line.number)
                continue
            }
            let keyStart = c.index
            while let byte = c.current, isKeyByte(byte) { c.index += 1 }
            guard c.index > keyStart else { throw c.error("a libcpuid key such as `basic_cpuid[0]=`") }
            let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<c.index]), as: UTF8.self)
            if key.hasPrefix("arm_") {
                throw DumpError(file: file, line: line.number, column: 1,
                                kind: .notX86("libcpuid ARM register dump (`\(key)`), which holds no x86 CPUID leaves"))
            }
            guard knownKeys.contains(key) else {
                throw DumpError(file: file, line: line.number, column: keyStart - line.start + 1, kind: .unknownKey(key))
            }
            try c.expect("[")
            let index = try c.decimal("the array index")
            guard index < 4096 else { throw c.error("an array index below 4096") }
            try c.expect("]")
            try c.expect("=")
            let eax = try c.hexWord("EAX")
            try c.expect(" ")
            let ebx = try c.hexWord("EBX")
            try c.expect(" ")
            let ecx = try c.hexWord("ECX")
            try c.expect(" ")
            let edx = try c.hexWord("EDX")
            try c.expectEnd()
            if current == nil {
                current = CPUData(number: 0, headerLine: line.number)
                try collector.begin(cpu: 0, line: line.number)
            }
            if let first = current?.arrays[key]?[index] {
                throw DumpError(file: file, line: line.number, column: 1,
                                kind: .syntax(expected: "each `\(key)[\(index)]` once (first given on line \(first.line))"))
            }
            current?.arrays[key, default: [:]][index] = Slot(registers: Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx),
                                                              line: line.number)
        }
        if let data = current { try emit(data, into: &collector, file: file) }
        return try collector.finish()
    }

    private static func isKeyByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || (b >= 65 && b <= 90)
    }

    /// Turns one CPU's arrays into entries, dropping padding (see the type's documentation).
    private static func emit(_ data: CPUData, into collector: inout CPUCollector, file: String) throws(DumpError) {
        if data.arrays.isEmpty { return }  // a header with nothing under it adds no CPU, as in every format
        guard let basic = data.arrays["basic_cpuid"], let leaf0 = basic[0] else {
            throw DumpError(file: file, line: data.headerLine, column: 1,
                            kind: .syntax(expected: "`basic_cpuid[0]=` for CPU \(data.number): without it the dump has no highest leaf"))
        }
        let maxBasic = leaf0.registers.eax
        let ext = data.arrays["ext_cpuid"] ?? [:]
        let maxExtended = ext[0].map(\.registers.eax) ?? 0
        let extendedValid = maxExtended & 0xffff_0000 == 0x8000_0000
        func inRange(_ leaf: UInt32) -> Bool {
            leaf < 0x8000_0000 ? leaf <= maxBasic : extendedValid && leaf <= maxExtended
        }
        var entries: [(CPUIDEntry, Int)] = []
        var suppliedByArray: Set<UInt32> = []
        for (key, leaf) in subleafArrays {
            guard let slots = data.arrays[key], inRange(leaf) else { continue }
            let found = Enumeration.rule(for: leaf).subleaves { (subleaf: UInt32) -> Registers? in
                slots[Int(subleaf)]?.registers
            }
            guard !found.isEmpty else { continue }
            suppliedByArray.insert(leaf)
            for (subleaf, registers) in found {
                entries.append((CPUIDEntry(key: LeafKey(leaf, subleaf), registers: registers,
                                           significantIndex: SubleafRules.hasSubleaves(leaf)),
                                slots[Int(subleaf)]?.line ?? data.headerLine))
            }
        }
        for (index, slot) in basic where index == 0 || UInt32(index) <= maxBasic {
            let leaf = UInt32(index)
            if suppliedByArray.contains(leaf) { continue }
            entries.append((CPUIDEntry(key: LeafKey(leaf), registers: slot.registers,
                                       significantIndex: SubleafRules.hasSubleaves(leaf)), slot.line))
        }
        for (index, slot) in ext {
            let leaf = 0x8000_0000 + UInt32(index)
            guard index == 0 || inRange(leaf), !suppliedByArray.contains(leaf) else { continue }
            entries.append((CPUIDEntry(key: LeafKey(leaf), registers: slot.registers,
                                       significantIndex: SubleafRules.hasSubleaves(leaf)), slot.line))
        }
        entries.sort { $0.0.key < $1.0.key }
        for (entry, line) in entries { try collector.add(entry, line: line) }
    }
}
