/// Reads libvirt's CPU test data (tests/cputestdata/x86_64-cpuid-*.xml): one `<cpudata arch='x86'>`
/// element holding `<cpuid eax_in='0x..' ecx_in='0x..' eax='0x..' ebx='0x..' ecx='0x..' edx='0x..'/>`
/// rows, and `<msr index='0x10a' edx='0x..' eax='0x..'/>` rows (a model-specific register's high and low halves).
/// The scanner reads exactly this shape of XML (elements, attributes, comments, declarations).
enum LibvirtReader {
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let file: String
        var i = 0

        func error(_ expected: String, at offset: Int? = nil) -> DumpError {
            BytePosition.error(.syntax(expected: expected), at: offset ?? i, in: bytes, file: file)
        }

        var current: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        }

        func looksAt(_ literal: StaticString) -> Bool {
            literal.withUTF8Buffer { lit in
                guard bytes.count - i >= lit.count else { return false }
                for k in 0..<lit.count where bytes[i + k] != lit[k] { return false }
                return true
            }
        }

        mutating func skip(_ literal: StaticString) -> Bool {
            guard looksAt(literal) else { return false }
            i += literal.utf8CodeUnitCount
            return true
        }

        mutating func skipPast(_ literal: StaticString, what: String) throws(DumpError) {
            let start = i
            while i < bytes.count {
                if skip(literal) { return }
                i += 1
            }
            throw error("`\(literal)` to close the \(what)", at: start)
        }

        mutating func name() -> String {
            let start = i
            while let b = current, (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b == 45 { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        /// Attributes up to `/>` (returns true) or `>` (returns false).
        mutating func attributes(into values: inout [String: (String, Int)]) throws(DumpError) -> Bool {
            while true {
                skipSpace()
                if skip("/>") { return true }
                if skip(">") { return false }
                let nameStart = i
                let attribute = name()
                guard !attribute.isEmpty else { throw error("an attribute, `/>` or `>`") }
                skipSpace()
                guard skip("=") else { throw error("`=` after attribute `\(attribute)`") }
                skipSpace()
                guard let quote = current, quote == 39 || quote == 34 else { throw error("a quoted value for `\(attribute)`") }
                i += 1
                let valueStart = i
                while let b = current, b != quote, b != 10 { i += 1 }
                guard current == quote else { throw error("the closing quote of `\(attribute)`", at: valueStart) }
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<i]), as: UTF8.self)
                i += 1
                if values[attribute] != nil { throw error("attribute `\(attribute)` only once", at: nameStart) }
                values[attribute] = (value, valueStart)
            }
        }

        func number(_ values: [String: (String, Int)], _ attribute: String, element: Int, optional: Bool = false,
                    on name: String = "cpuid") throws(DumpError) -> UInt32 {
            guard let (text, offset) = values[attribute] else {
                if optional { return 0 }
                throw error("attribute `\(attribute)` on <\(name)>", at: element)
            }
            let parsed: UInt32? = text.hasPrefix("0x") || text.hasPrefix("0X")
                ? (text.count > 2 && text.count <= 10 ? UInt32(text.dropFirst(2), radix: 16) : nil)
                : UInt32(text, radix: 10)
            guard let value = parsed else { throw error("a 32-bit number (0x... or decimal) for `\(attribute)`", at: offset) }
            return value
        }
    }

    static let registerAttributes: Set<String> = ["eax_in", "ecx_in", "eax", "ebx", "ecx", "edx"]
    static let msrAttributes: Set<String> = ["index", "edx", "eax"]

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        var s = Scanner(bytes: bytes, file: file)
        var collector = CPUCollector(file: file)
        var lines = LineCounter(bytes)
        var inside = false
        var closed = false
        while true {
            s.skipSpace()
            guard s.current != nil else { break }
            let start = s.i
            if s.skip("<?") { try s.skipPast("?>", what: "XML declaration"); continue }
            if s.skip("<!--") { try s.skipPast("-->", what: "comment"); continue }
            if closed { throw s.error("nothing after </cpudata>") }
            if s.skip("</") {
                let element = s.name()
                guard element == "cpudata", inside else { throw s.error("</cpudata>", at: start) }
                s.skipSpace()
                guard s.skip(">") else { throw s.error("`>`") }
                inside = false
                closed = true
                continue
            }
            guard s.skip("<") else { throw s.error(inside ? "a <cpuid .../> element" : "<cpudata arch='x86'>") }
            let element = s.name()
            var values: [String: (String, Int)] = [:]
            switch element {
            case "cpudata":
                guard !inside else { throw s.error("one <cpudata> element only", at: start) }
                let selfClosing = try s.attributes(into: &values)
                if let arch = values["arch"], arch.0 != "x86" {
                    throw BytePosition.error(.notX86("libvirt cpudata for arch `\(arch.0)`"), at: arch.1, in: bytes, file: file)
                }
                try collector.begin(cpu: 0, line: lines.line(at: start))
                inside = !selfClosing
                closed = selfClosing
            case "cpuid":
                guard inside else { throw s.error("<cpudata> before <cpuid>", at: start) }
                guard try s.attributes(into: &values) else { throw s.error("`/>` closing <cpuid>") }
                for key in values.keys where !registerAttributes.contains(key) {
                    throw s.error("only eax_in, ecx_in, eax, ebx, ecx, edx on <cpuid> (found `\(key)`)", at: values[key]?.1)
                }
                let leaf = try s.number(values, "eax_in", element: start)
                let subleaf = try s.number(values, "ecx_in", element: start, optional: true)
                let registers = Registers(eax: try s.number(values, "eax", element: start),
                                          ebx: try s.number(values, "ebx", element: start),
                                          ecx: try s.number(values, "ecx", element: start),
                                          edx: try s.number(values, "edx", element: start))
                try collector.add(CPUIDEntry(key: LeafKey(leaf, subleaf), registers: registers,
                                             significantIndex: SubleafRules.hasSubleaves(leaf)),
                                  line: lines.line(at: start))
            case "msr":
                guard inside else { throw s.error("<cpudata> before <msr>", at: start) }
                guard try s.attributes(into: &values) else { throw s.error("`/>` closing <msr>") }
                for key in values.keys where !msrAttributes.contains(key) {
                    throw s.error("only index, edx, eax on <msr> (found `\(key)`)", at: values[key]?.1)
                }
                let index = try s.number(values, "index", element: start, on: "msr")
                let high = try s.number(values, "edx", element: start, on: "msr")
                let low = try s.number(values, "eax", element: start, on: "msr")
                try collector.add(MSR(index, .value(UInt64(high) << 32 | UInt64(low))), line: lines.line(at: start))
            default:
                throw s.error("<cpudata>, <cpuid .../> or <msr .../> (found <\(element)>)", at: start)
            }
        }
        if inside { throw s.error("</cpudata> before the end of the file") }
        return try collector.finish()
    }
}
