#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Decides a dump's format from its text. The structured formats show themselves in their first byte
/// (`<`, `{`); the line formats by the first line that only one of them can hold, wherever it stands —
/// real AIDA64 reports open with banners, summary lines and topology lists before any register line.
/// When nothing fits, the error says for every format why not, naming the line that ruled it out.
enum FormatDetection {
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(DumpError) -> DumpFormat {
        var lines = TextLines(bytes)
        var first: (line: TextLine, column: Int)?
        var rawRuledOut: TextLine?
        var libcpuidRuledOut: TextLine?
        var otherAIDASection = false
        var scanned = 0
        while let line = lines.next() {
            var c = LineCursor(bytes, line, file: name)
            c.skipBlanks()
            if c.atEnd { continue }
            if first == nil {
                if c.skip("\u{FEFF}") { c.skipBlanks() }
                first = (line, c.column)
                if c.looksAt("<") { return .libvirt }
                if c.looksAt("{") { return jsonFamily(bytes) }
                let probe = LineCursor(bytes, line, file: name)
                if case .binary = probe.error("").kind { throw probe.error("") }
            }
            if DumpTrailer.isTrailerLine(bytes, line) { break }
            scanned += 1
            if isRawLine(c) { return .cpuidRaw }
            if isLibcpuidLine(c) { return .libcpuid }
            var aida = c
            switch try? AIDAReader.classify(&aida) {
            case .register, .msr, .cpuSection, .countedCPUSection, .msrSection: return .aida
            case .otherSection: otherAIDASection = true
            case nil: return .aida  // a damaged register line: the AIDA reader will say where
            case .continuation, .information: break
            }
            if rawRuledOut == nil { rawRuledOut = line }
            if libcpuidRuledOut == nil { libcpuidRuledOut = line }
        }
        guard let first else { throw DumpError(file: name, kind: .empty) }
        if otherAIDASection { return .aida }  // a report with sections but no register line: the reader says so
        func quote(_ line: TextLine) -> String {
            let end = min(line.end, line.start + 60)
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[line.start..<end]), as: UTF8.self)
            return "line \(line.number): `\(text)\(line.end > end ? "…" : "")`"
        }
        let opening = quote(first.line)
        var tried: [String] = []
        tried.append("raw (cpuid -r): \(rawRuledOut.map(quote) ?? opening) is neither a `CPU N:` header nor a `0xLLLLLLLL 0xSS: eax=0x...` line")
        tried.append("aida (AIDA64): no `CPUID xxxxxxxx: EAX-EBX-ECX-EDX` register line, MSR line or CPU header in \(scanned) non-blank lines")
        tried.append("libcpuid: \(libcpuidRuledOut.map(quote) ?? opening) is not a `basic_cpuid[0]=...` line nor a `___ Logical CPU #N ___` header")
        tried.append("libvirt: \(opening) does not start with `<`")
        tried.append("json, firecracker: \(opening) does not start with `{`")
        throw DumpError(file: name, line: first.line.number, column: first.column, kind: .unknownFormat(tried: tried))
    }

    /// `CPU:` / `CPU N:` alone on a line, or `0xLLLLLLLL 0xSS:` / `0xLLLLLLLL:` (an entry of `cpuid -r`).
    /// AIDA64's topology list (`CPU  3: APICID ...`) has text after the colon, so it is not one.
    static func isRawLine(_ line: LineCursor) -> Bool {
        var c = line
        if c.skip("CPU") {
            if !c.skip(":") {
                guard c.skip(" ") else { return false }
                c.skipBlanks()
                guard (try? c.decimal("")) != nil, c.skip(":") else { return false }
            }
            c.skipBlanks()
            return c.atEnd
        }
        guard c.skip("0x"), c.line.end - c.index >= 8, LineCursor.hex8(c.bytes, c.index) != nil else { return false }
        c.index += 8
        if c.skip(":") { return true }
        return c.skip(" 0x")
    }

    /// `key[N]=` with a libcpuid array name, or libcpuid's `____ Logical CPU #N ____` header.
    static func isLibcpuidLine(_ line: LineCursor) -> Bool {
        var c = line
        if c.looksAt("_____") {
            while c.current == UInt8(ascii: "_") { c.index += 1 }
            c.skipBlanks()
            return c.looksAt("Logical CPU #")
        }
        let start = c.index
        while let b = c.current, (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 { c.index += 1 }
        guard c.index > start, c.skip("["), let digit = c.current else { return false }
        return digit >= 48 && digit <= 57
    }

    /// vcpuid's JSON names its format; a Firecracker configuration has its own top-level members.
    private static func jsonFamily(_ bytes: UnsafeBufferPointer<UInt8>) -> DumpFormat {
        if contains(bytes, "\"vcpuid-dump\"") { return .json }
        for member in ["\"cpuid_modifiers\"", "\"msr_modifiers\"", "\"guest_cpu_config\""] where contains(bytes, member) {
            return .firecracker
        }
        return .json
    }

    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let base = bytes.baseAddress, let head = pattern.first, bytes.count >= pattern.count else { return false }
        var start = 0
        while start <= bytes.count - pattern.count,
              let found = memchr(base + start, Int32(head), bytes.count - pattern.count + 1 - start) {
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if (0..<pattern.count).allSatisfy({ bytes[at + $0] == pattern[$0] }) { return true }
            start = at + 1
        }
        return false
    }
}
