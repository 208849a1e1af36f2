/// Reads AIDA64 / InstLatx64 CPUID reports as people publish them (shapes: ../shared/facts/aida64-reports.md
/// and docs/formats.md). Only two kinds of line carry data: CPUID register lines and MSR lines; every other
/// line of a report (banners, summary lines, topology lists, cache, clock and DMI lines) is passed over.
/// A CPU's data starts at one of several headers, or, in files without headers, where leaf 0 comes again.
enum AIDAReader {
    /// The entry line as AIDA64 prints it; the tail (`[SL nn]`, comments) follows at `canonical.length`.
    static let canonical = LineTemplate("CPUID HHHHHHHH: HHHHHHHH-HHHHHHHH-HHHHHHHH-HHHHHHHH")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        var lines = TextLines(bytes)
        var state = State(file: file)
        var firstText: Int?
        var textLines = 0
        let canonical = Self.canonical
        while let line = lines.next() {
            if canonical.matches(bytes, at: line.start, end: line.end),
               let leaf = LineCursor.hex8(bytes, line.start + 6),
               let eax = LineCursor.hex8(bytes, line.start + 16), let ebx = LineCursor.hex8(bytes, line.start + 25),
               let ecx = LineCursor.hex8(bytes, line.start + 34), let edx = LineCursor.hex8(bytes, line.start + 43),
               line.end == line.start + canonical.length || !isHexDigit(bytes[line.start + canonical.length]) {
                var c = LineCursor(bytes, line, file: file)
                c.index = line.start + canonical.length
                try state.entry(leaf, Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx), tail: &c)
                continue
            }
            var c = LineCursor(bytes, line, file: file)
            c.skipBlanks()
            if c.atEnd { continue }
            if DumpTrailer.isTrailerLine(bytes, line) { break }
            textLines += 1
            if firstText == nil { firstText = line.number }
            switch try classify(&c) {
            case let .register(leaf, registers): try state.entry(leaf, registers, tail: &c)
            case let .msr(msr): try state.collector.add(msr, line: line.number)
            case let .cpuSection(number): try state.beginSection(number, line: line.number)
            case .countedCPUSection: try state.beginSection(state.nextCountedSection(), line: line.number)
            case let .msrSection(number): try state.beginMSRSection(number, line: line.number)
            case .continuation: try state.continueSection(line: line.number)
            case .otherSection: try state.endSection()
            case .information: try checkInformation(c)
            }
        }
        if state.collector.isEmpty, let firstText {
            // Only informational lines: say so where the text starts, rather than "empty".
            throw DumpError(file: file, line: firstText, column: 1, kind: .syntax(expected:
                "an AIDA64 register line (`CPUID xxxxxxxx: EAX-EBX-ECX-EDX` or `MSR xxxxxxxx: ...`) somewhere in the report; none of its \(textLines) non-blank lines is one"))
        }
        return try state.collector.finish()
    }

    /// What one line of a report is.
    enum Line: Equatable {
        case register(leaf: UInt32, Registers)
        case msr(MSR)
        /// A header naming its logical CPU.
        case cpuSection(Int)
        /// `Group: 0x00 Affinity mask: ...`: a header without a CPU number; sections count up from 0.
        case countedCPUSection
        /// An MSR section header, with its CPU when the header names one.
        case msrSection(Int?)
        /// A header that names no CPU where one belongs (a garbled `Logical CPU # Multiplier`): the current CPU goes on.
        case continuation
        /// `------[ Versions ]------` and other sections of a full report.
        case otherSection
        /// Anything else: summary, topology, cache, clock, DMI lines.
        case information
    }

    /// Decides what the line at the cursor (past leading blanks) is. Throws only for a damaged register or
    /// MSR line: `CPUID` or `MSR` and eight hex digits, then something that is not the rest of one.
    static func classify(_ c: inout LineCursor) throws(DumpError) -> Line {
        if c.skip("CPUID") {
            if c.looksAt(" Registers (CPU #") {
                c.index += 17
                return (try? c.decimal("")).map(Line.cpuSection) ?? .continuation
            }
            guard let leaf = try hexIndex(&c) else { return .information }
            return .register(leaf: leaf, try registers(&c))
        }
        if c.skip("MSR") {
            if c.looksAt(" Registers (CPU #") {
                c.index += 17
                return .msrSection(try? c.decimal(""))
            }
            guard let index = try hexIndex(&c) else { return .information }
            return .msr(MSR(index, try msrValue(&c)))
        }
        if c.skip("------[") { return sectionHeader(&c) }
        if c.skip("CPU#") {
            guard let listed = try? c.decimal("the CPU number") else { return .information }
            c.skipBlanks()
            guard c.skip("AffMask:") else { return .information }
            c.skipBlanks()
            guard c.skip("0x") || c.skip("0X") else { return .information }
            return .cpuSection(try affinityCPU(&c) ?? listed)
        }
        if c.skip("Group:") {
            c.skipBlanks()
            guard c.skip("0x") || c.skip("0X") else { return .information }
            while let b = c.current, isHexDigit(b) { c.index += 1 }
            c.skipBlanks()
            return c.looksAt("Affinity mask:") ? .countedCPUSection : .information
        }
        return .information
    }

    /// `CPUID`/`MSR` then blanks and exactly eight hex digits followed by a blank, `:` or the end: the index
    /// of a register line. nil when the line is another kind of line that starts with the same word.
    private static func hexIndex(_ c: inout LineCursor) throws(DumpError) -> UInt32? {
        let start = c.index
        c.skipBlanks()
        guard c.index > start || c.current == UInt8(ascii: ":") || c.current.map(isHexDigit) == true else { return nil }
        guard c.line.end - c.index >= 8, let value = LineCursor.hex8(c.bytes, c.index) else { return nil }
        c.index += 8
        guard let next = c.current else { return value }
        if isHexDigit(next) { throw c.error("exactly 8 hex digits for the index") }
        guard next == 32 || next == 9 || next == UInt8(ascii: ":") else { return nil }
        return value
    }

    /// The separator after the index (blanks, `:`, or both), then EAX, EBX, ECX and EDX separated by `-` or blanks.
    private static func registers(_ c: inout LineCursor) throws(DumpError) -> Registers {
        try separator(&c)
        let eax = try c.hexWord("EAX")
        try registerGap(&c, "EAX", "EBX")
        let ebx = try c.hexWord("EBX")
        try registerGap(&c, "EBX", "ECX")
        let ecx = try c.hexWord("ECX")
        try registerGap(&c, "ECX", "EDX")
        let edx = try c.hexWord("EDX")
        return Registers(eax: eax, ebx: ebx, ecx: ecx, edx: edx)
    }

    private static func separator(_ c: inout LineCursor) throws(DumpError) {
        c.skipBlanks()
        _ = c.skip(":")
        c.skipBlanks()
        guard !c.atEnd else { throw c.error("the register values after the index, but the line ends") }
    }

    private static func registerGap(_ c: inout LineCursor, _ before: String, _ after: String) throws(DumpError) {
        if c.skip("-") { return }
        let start = c.index
        c.skipBlanks()
        guard c.index > start else { throw c.error("`-` or a blank between \(before) and \(after)") }
    }

    /// `0000-0000-0C0A-0CEB` (16 hex digits in groups, high to low) or `< FAILED >`.
    private static func msrValue(_ c: inout LineCursor) throws(DumpError) -> MSRValue {
        try separator(&c)
        if c.skip("<") {
            c.skipBlanks()
            try c.expect("FAILED")
            c.skipBlanks()
            try c.expect(">")
            return .faulted
        }
        var value: UInt64 = 0
        var digits = 0
        while digits < 16 {
            guard let b = c.current, let digit = LineCursor.hexValue(b) else {
                if digits > 0, c.current == UInt8(ascii: "-") {
                    c.index += 1
                    continue
                }
                if digits > 0, c.current == 32 || c.current == 9 {
                    // `0000 0000 0C0A 0CEB`: groups separated by blanks, when a hex digit follows.
                    var ahead = c
                    ahead.skipBlanks()
                    if let next = ahead.current, isHexDigit(next) {
                        c = ahead
                        continue
                    }
                }
                throw c.error(digits == 0 ? "an MSR value (16 hex digits such as 0000-0000-0C0A-0CEB) or `< FAILED >`"
                                          : "16 hex digits in the MSR value, found \(digits)")
            }
            value = value << 4 | UInt64(digit)
            digits += 1
            c.index += 1
        }
        if let next = c.current, isHexDigit(next) { throw c.error("exactly 16 hex digits in the MSR value") }
        return .value(value)
    }

    /// `------[ title ]------`: a CPUID or MSR section of a logical CPU, or another section of the report.
    private static func sectionHeader(_ c: inout LineCursor) -> Line {
        let titleStart = c.index
        var hash: Int?
        while let b = c.current, b != UInt8(ascii: "]") {
            if b == UInt8(ascii: "#"), hash == nil { hash = c.index }
            c.index += 1
        }
        let isMSR = contains(c.bytes, titleStart..<c.index, "MSR")
        var number: Int?
        if let hash {
            var n = LineCursor(c.bytes, c.line, file: c.file)
            n.index = hash + 1
            n.skipBlanks()
            number = try? n.decimal("")
        }
        if isMSR { return .msrSection(number) }
        if let number { return .cpuSection(number) }
        return hash != nil ? .continuation : .otherSection
    }

    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { w in
            guard range.count >= w.count else { return false }
            outer: for start in range.lowerBound...(range.upperBound - w.count) {
                for k in 0..<w.count where bytes[start + k] != w[k] { continue outer }
                return true
            }
            return false
        }
    }

    /// The logical CPU an affinity mask names: its lowest set bit. The mask may be written in groups
    /// (`0000000000000000:0000000000000001`), high to low. InstLatx64 numbers `CPU#nnn` per core in some
    /// dumps (two threads both `CPU#000`), while the mask always tells them apart; nil for an empty mask.
    private static func affinityCPU(_ c: inout LineCursor) throws(DumpError) -> Int? {
        let start = c.index
        while let b = c.current, isHexDigit(b) || b == UInt8(ascii: ":") { c.index += 1 }
        guard c.index > start else { throw c.error("hex digits of the affinity mask") }
        var bit = 0
        var i = c.index - 1
        while i >= start {
            if let digit = LineCursor.hexValue(c.bytes[i]) {
                if digit != 0 { return bit + digit.trailingZeroBitCount }
                bit += 4
            }
            i -= 1
        }
        return nil
    }

    /// Informational lines are skipped, but a control byte means this is no text report.
    private static func checkInformation(_ c: LineCursor) throws(DumpError) {
        for i in c.line.start..<c.line.end {
            let b = c.bytes[i]
            if (b < 32 && b != 9 && b != 12) || b == 127 {
                var at = c
                at.index = i
                throw at.error(.binary(byte: b))
            }
        }
    }

    @inline(__always)
    static func isHexDigit(_ b: UInt8) -> Bool { LineCursor.hexTable[Int(b)] != 0xff }

    /// The reader's place in the report: which CPU lines belong to, and how subleaves given by position count.
    private struct State {
        var collector: CPUCollector
        /// Per leaf of the current section: the subleaf its next line without `[SL nn]` stands for.
        var nextSubleaf: [UInt32: UInt32] = [:]
        /// Per leaf: the registers of its first line in this section, to recognise an identical repeat.
        var firstRegisters: [UInt32: Registers] = [:]
        /// The previous register line's leaf and registers, for consecutive identical repeats.
        var previous: (leaf: UInt32, registers: Registers)?
        var countedSections = 0
        /// The CPU of the last section, for an MSR section header without a number.
        var lastCPU: Int?

        init(file: String) { collector = CPUCollector(file: file) }

        mutating func nextCountedSection() -> Int {
            defer { countedSections += 1 }
            return countedSections
        }

        mutating func resetPositions() {
            nextSubleaf.removeAll(keepingCapacity: true)
            firstRegisters.removeAll(keepingCapacity: true)
            previous = nil
        }

        /// A CPU's section; a second section of the same CPU (reports repeat headers) merges into the first,
        /// and any contradiction between the two is still an error.
        mutating func beginSection(_ cpu: Int, line: Int) throws(DumpError) {
            if collector.hasSeen(cpu) {
                try collector.close()
                try collector.resume(cpu: cpu, line: line)
            } else {
                try collector.begin(cpu: cpu, line: line)
            }
            lastCPU = cpu
            resetPositions()
        }

        mutating func beginMSRSection(_ cpu: Int?, line: Int) throws(DumpError) {
            let owner = cpu ?? collector.openCPU ?? lastCPU ?? 0
            try collector.resume(cpu: owner, line: line)
            lastCPU = owner
            resetPositions()
        }

        /// A header without its CPU number goes on with the CPU of the last section.
        mutating func continueSection(line: Int) throws(DumpError) {
            if collector.openCPU == nil, let lastCPU { try collector.resume(cpu: lastCPU, line: line) }
        }

        mutating func endSection() throws(DumpError) {
            try collector.close()
            resetPositions()
        }

        /// One register line: the subleaf from `[SL nn]` or from its position, into the right CPU.
        mutating func entry(_ leaf: UInt32, _ registers: Registers, tail c: inout LineCursor) throws(DumpError) {
            let explicit = try subleafAnnotation(&c)
            let indexed = SubleafRules.hasSubleaves(leaf)
            var subleaf: UInt32 = 0
            if let explicit {
                subleaf = explicit
                nextSubleaf[leaf] = explicit &+ 1
                if firstRegisters[leaf] == nil { firstRegisters[leaf] = registers }
            } else if let next = nextSubleaf[leaf] {
                let repeatsPrevious = previous.map { $0.leaf == leaf && $0.registers == registers } ?? false
                if leaf == 0, !repeatsPrevious {
                    // Leaf 0 again: the next CPU's dump starts (files that have no headers).
                    try collector.close()
                    resetPositions()
                    nextSubleaf[0] = 1
                    firstRegisters[0] = registers
                } else if !indexed, firstRegisters[leaf] == registers {
                    subleaf = 0
                } else {
                    subleaf = next
                    nextSubleaf[leaf] = next &+ 1
                }
            } else {
                nextSubleaf[leaf] = 1
                firstRegisters[leaf] = registers
            }
            previous = (leaf, registers)
            try collector.add(CPUIDEntry(key: LeafKey(leaf, subleaf), registers: registers,
                                         significantIndex: indexed || subleaf != 0),
                              line: c.line.number)
            lastCPU = collector.openCPU
        }

        /// The subleaf of `[SL nn]` anywhere among the annotations after the registers; the rest is comment.
        private func subleafAnnotation(_ c: inout LineCursor) throws(DumpError) -> UInt32? {
            var found: UInt32?
            while let b = c.current {
                if (b < 32 && b != 9) || b == 127 { throw c.error("text in the annotation") }
                if found == nil, b == UInt8(ascii: "["), c.looksAt("[SL") {
                    c.index += 3
                    c.skipBlanks()
                    found = try c.hexNumber("the subleaf in `[SL nn]`")
                    c.skipBlanks()
                    try c.expect("]")
                    continue
                }
                c.index += 1
            }
            return found
        }
    }
}
