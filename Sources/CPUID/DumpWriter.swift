#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a dump could not be written.
public enum DumpWriteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The format cannot hold this dump (e.g. libvirt's cpudata holds one CPU).
    case cannotHold(format: DumpFormat, reason: String)
    /// vcpuid reads this format but does not write it.
    case notWritable(DumpFormat)
    case io(path: String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case let .cannotHold(format, reason): "\(format.displayName) cannot hold this dump: \(reason)"
        case let .notWritable(format): "vcpuid reads \(format.displayName) but does not write it; write one of: \(DumpFormat.writable.map(\.rawValue).joined(separator: ", "))"
        case let .io(path, operation, errno): "\(operation) \(path) failed: \(Errno(errno))"
        }
    }
}

/// Renders dumps as text in the writable formats, and writes files atomically.
public enum DumpWriter {
    public static func render(_ dump: Dump, as format: DumpFormat) throws(DumpWriteError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(dump.cpus.reduce(0) { $0 + $1.snapshot.count * 80 } + 256)
        switch format {
        case .cpuidRaw: renderRaw(dump, into: &out)
        case .aida: renderAIDA(dump, into: &out)
        case .json: renderJSON(dump, into: &out)
        case .libvirt:
            guard dump.cpus.count == 1 else {
                throw .cannotHold(format: .libvirt, reason: "it describes one CPU and this dump has \(dump.cpus.count); pick one with --cpu")
            }
            renderLibvirt(dump, into: &out)
        case .libcpuid, .firecracker: throw .notWritable(format)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// How many of the dump's MSRs a format cannot carry: all of them for `cpuid -r` text, the faulted
    /// reads for libvirt (its `<msr>` element holds a value), none for JSON and AIDA64.
    public static func msrsLeftOut(of dump: Dump, as format: DumpFormat) -> Int {
        switch format {
        case .json, .aida: 0
        case .libvirt: dump.cpus.reduce(0) { $0 + $1.snapshot.msrs.count { $0.value == .faulted } }
        case .cpuidRaw, .libcpuid, .firecracker: dump.cpus.reduce(0) { $0 + $1.snapshot.msrs.count }
        }
    }

    /// Writes the rendered dump to `path` through a temporary file in the same folder and a rename,
    /// so that readers never see a half-written file.
    public static func write(_ dump: Dump, as format: DumpFormat, to path: String) throws(DumpWriteError) {
        try writeAtomically(render(dump, as: format), to: path)
    }

    public static func writeAtomically(_ text: String, to path: String) throws(DumpWriteError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // mkstemp replaces the template's last six characters, which must be "X", with a unique suffix.
        let uniqueSuffix = String(repeating: "X", count: 6)
        var template = Array("\(folder).\(base).tmp-\(uniqueSuffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .io(path: path, operation: "creating a temporary file for", errno: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let failure = Array(text.utf8).withUnsafeBytes { raw -> Errno? in
            do throws(Errno) {
                try SystemFile.writeAll(raw, to: fd)
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            close(fd)
            unlink(temporary)
            throw .io(path: path, operation: "writing", errno: failure.code)
        }
        if fchmod(fd, 0o644) != 0 || fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw .io(path: path, operation: "syncing", errno: code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io(path: path, operation: "renaming the temporary file onto", errno: code)
        }
    }

    // MARK: - Formats

    private static let hexDigitsLower = Array("0123456789abcdef".utf8)
    private static let hexDigitsUpper = Array("0123456789ABCDEF".utf8)

    @inline(__always)
    private static func hex(_ value: UInt32, digits: Int, upper: Bool = false, into out: inout [UInt8]) {
        let table = upper ? hexDigitsUpper : hexDigitsLower
        var shift = (digits - 1) * 4
        while shift >= 0 {
            out.append(table[Int((value >> UInt32(shift)) & 0xf)])
            shift -= 4
        }
    }

    private static func append(_ text: StaticString, into out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private static func append(_ text: String, into out: inout [UInt8]) { out.append(contentsOf: text.utf8) }

    /// Subleaves above 0xff keep all their digits, as `cpuid -r`'s `%02x` does.
    private static func subleafDigits(_ value: UInt32) -> Int {
        var digits = 2
        while digits < 8, value >> UInt32(digits * 4) != 0 { digits += 1 }
        return digits
    }

    /// The text before the leaf, the subleaf and each register of an entry line: the formats differ only there.
    struct EntryLabels {
        var leaf, subleaf, eax, ebx, ecx, edx: StaticString

        static let raw = EntryLabels(leaf: "   0x", subleaf: " 0x", eax: ": eax=0x", ebx: " ebx=0x", ecx: " ecx=0x", edx: " edx=0x")
        static let json = EntryLabels(leaf: "{\"leaf\": \"0x", subleaf: "\", \"subleaf\": \"0x", eax: "\", \"eax\": \"0x",
                                      ebx: "\", \"ebx\": \"0x", ecx: "\", \"ecx\": \"0x", edx: "\", \"edx\": \"0x")
        static let libvirt = EntryLabels(leaf: "  <cpuid eax_in='0x", subleaf: "' ecx_in='0x", eax: "' eax='0x",
                                         ebx: "' ebx='0x", ecx: "' ecx='0x", edx: "' edx='0x")
    }

    /// One entry's inputs and registers in lower-case hex, each after its label.
    @inline(__always)
    private static func appendEntry(_ e: CPUIDEntry, _ labels: EntryLabels, into out: inout [UInt8]) {
        append(labels.leaf, into: &out)
        hex(e.leaf, digits: 8, into: &out)
        append(labels.subleaf, into: &out)
        hex(e.subleaf, digits: subleafDigits(e.subleaf), into: &out)
        append(labels.eax, into: &out)
        hex(e.registers.eax, digits: 8, into: &out)
        append(labels.ebx, into: &out)
        hex(e.registers.ebx, digits: 8, into: &out)
        append(labels.ecx, into: &out)
        hex(e.registers.ecx, digits: 8, into: &out)
        append(labels.edx, into: &out)
        hex(e.registers.edx, digits: 8, into: &out)
    }

    /// `cpuid -r`: `CPU:` for a single CPU (what `cpuid -1 -r` prints; the number is not kept),
    /// otherwise `CPU N:` per CPU (what `cpuid -r` prints).
    static func renderRaw(_ dump: Dump, into out: inout [UInt8]) {
        let single = dump.cpus.count == 1
        for cpu in dump.cpus {
            if single { append("CPU:\n", into: &out) } else { append("CPU \(cpu.number):\n", into: &out) }
            for e in cpu.snapshot.entries {
                appendEntry(e, EntryLabels.raw, into: &out)
                out.append(10)
            }
        }
    }

    /// AIDA64: a `------[ CPUID Registers / Logical CPU #N ]------` header per CPU, `[SL nn]` on
    /// entries of indexed leaves (and on any nonzero subleaf).
    static func renderAIDA(_ dump: Dump, into out: inout [UInt8]) {
        for cpu in dump.cpus {
            append("------[ CPUID Registers / Logical CPU #\(cpu.number) ]------\n", into: &out)
            for e in cpu.snapshot.entries {
                append("CPUID ", into: &out)
                hex(e.leaf, digits: 8, upper: true, into: &out)
                append(": ", into: &out)
                hex(e.registers.eax, digits: 8, upper: true, into: &out)
                out.append(45)
                hex(e.registers.ebx, digits: 8, upper: true, into: &out)
                out.append(45)
                hex(e.registers.ecx, digits: 8, upper: true, into: &out)
                out.append(45)
                hex(e.registers.edx, digits: 8, upper: true, into: &out)
                if e.significantIndex || e.subleaf != 0 {
                    append(" [SL ", into: &out)
                    hex(e.subleaf, digits: subleafDigits(e.subleaf), upper: true, into: &out)
                    out.append(93)
                }
                out.append(10)
            }
            out.append(10)
        }
        for cpu in dump.cpus where !cpu.snapshot.msrs.isEmpty {
            append("------[ MSR Registers / Logical CPU #\(cpu.number) ]------\n", into: &out)
            for msr in cpu.snapshot.msrs {
                append("MSR ", into: &out)
                hex(msr.index, digits: 8, upper: true, into: &out)
                append(": ", into: &out)
                switch msr.value {
                case let .value(bits):
                    for group in stride(from: 3, through: 0, by: -1) {
                        hex(UInt32(truncatingIfNeeded: bits >> UInt64(group * 16)) & 0xffff, digits: 4, upper: true, into: &out)
                        if group > 0 { out.append(45) }
                    }
                case .faulted: append("< FAILED >", into: &out)
                }
                out.append(10)
            }
            out.append(10)
        }
    }

    /// vcpuid JSON, one entry a line (schema in docs/formats.md).
    static func renderJSON(_ dump: Dump, into out: inout [UInt8]) {
        append("{\n  \"format\": \"\(JSONDumpReader.formatName)\",\n  \"version\": \(JSONDumpReader.version),\n", into: &out)
        append("  \"origin\": ", into: &out)
        appendJSONString(dump.origin.description, into: &out)
        append(",\n  \"cpus\": [", into: &out)
        for (n, cpu) in dump.cpus.enumerated() {
            append(n == 0 ? "\n" : ",\n", into: &out)
            append("    {\n      \"cpu\": \(cpu.number),\n      \"entries\": [", into: &out)
            for (k, e) in cpu.snapshot.entries.enumerated() {
                append(k == 0 ? "\n        " : ",\n        ", into: &out)
                appendEntry(e, EntryLabels.json, into: &out)
                append(e.significantIndex ? "\", \"indexed\": true}" : "\", \"indexed\": false}", into: &out)
            }
            append(cpu.snapshot.isEmpty ? "]" : "\n      ]", into: &out)
            if !cpu.snapshot.msrs.isEmpty {
                append(",\n      \"msrs\": [", into: &out)
                for (k, msr) in cpu.snapshot.msrs.enumerated() {
                    append(k == 0 ? "\n        " : ",\n        ", into: &out)
                    append("{\"index\": \"0x", into: &out)
                    hex(msr.index, digits: 8, into: &out)
                    switch msr.value {
                    case let .value(bits):
                        append("\", \"value\": \"0x", into: &out)
                        hex(UInt32(truncatingIfNeeded: bits >> 32), digits: 8, into: &out)
                        hex(UInt32(truncatingIfNeeded: bits), digits: 8, into: &out)
                        append("\"}", into: &out)
                    case .faulted: append("\", \"value\": null}", into: &out)
                    }
                }
                append("\n      ]", into: &out)
            }
            append("\n    }", into: &out)
        }
        append(dump.cpus.isEmpty ? "]\n}\n" : "\n  ]\n}\n", into: &out)
    }

    /// libvirt cpudata XML for one CPU.
    static func renderLibvirt(_ dump: Dump, into out: inout [UInt8]) {
        let snapshot = dump.first
        let comment = (snapshot.brand ?? snapshot.vendor).replacingDoubleDashes()
        append("<!-- \(comment) -->\n<cpudata arch='x86'>\n", into: &out)
        for e in snapshot.entries {
            appendEntry(e, EntryLabels.libvirt, into: &out)
            append("'/>\n", into: &out)
        }
        for msr in snapshot.msrs {
            guard case let .value(bits) = msr.value else { continue }
            append("  <msr index='0x", into: &out)
            append(String(msr.index, radix: 16), into: &out)
            append("' edx='0x", into: &out)
            hex(UInt32(truncatingIfNeeded: bits >> 32), digits: 8, into: &out)
            append("' eax='0x", into: &out)
            hex(UInt32(truncatingIfNeeded: bits), digits: 8, into: &out)
            append("'/>\n", into: &out)
        }
        append("</cpudata>\n", into: &out)
    }

    private static func appendJSONString(_ text: String, into out: inout [UInt8]) {
        JSONEscaping.appendQuoted(text.utf8, to: &out)
    }
}

extension String {
    /// XML comments may not contain `--`.
    func replacingDoubleDashes() -> String {
        var result = ""
        var previousDash = false
        for ch in self {
            if ch == "-" && previousDash { continue }
            previousDash = ch == "-"
            result.append(ch)
        }
        return result
    }
}
