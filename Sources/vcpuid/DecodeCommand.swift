import ArgumentParser
import CPUID
import Glibc
import X86Features

/// `vcpuid decode`: every named field of every leaf, with the raw registers, for people or as JSON.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode every CPUID leaf into named fields (flags, sizes, counts, enumerations).",
        discussion: """
            Leaves are shown in order, each with its raw registers and then one line per field: where it \
            lives (register and bits), its name, and what it means. Vendor-specific leaves (leaf 1 EBX, \
            0x80000001, 0x80000005-8, 0x8000001E) are read by the vendor's definition. Set bits that no \
            decoder names are listed as `unknown`, so nothing the CPU says is hidden.
            """
    )

    @OptionGroup var input: SnapshotOptions

    @Option(help: ArgumentHelp("Only this leaf, e.g. 7, 0xd, 12h or 0x80000008.", valueName: "leaf"))
    var leaf: String?

    @Flag(help: "Print JSON instead of aligned text.")
    var json = false

    func validate() throws {
        if let leaf, Self.parseLeaf(leaf) == nil {
            throw ValidationError("--leaf expects a leaf number such as 7, 0xd, 12h or 0x80000008, not '\(leaf)'")
        }
    }

    func run() throws {
        let dump = try input.loadDump()
        let leafNumber = leaf.flatMap(Self.parseLeaf)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        if json { out.append(contentsOf: Array("{\"cpus\": [\n".utf8)) }
        for (position, cpu) in dump.cpus.enumerated() {
            if json {
                if position > 0 { out.append(contentsOf: Array(",\n".utf8)) }
                DecodeRenderer.appendJSON(cpu: cpu.number, snapshot: cpu.snapshot, leaf: leafNumber, into: &out)
            } else {
                if position > 0 { out.append(10) }
                DecodeRenderer.appendText(cpu: cpu.number, snapshot: cpu.snapshot, leaf: leafNumber, into: &out)
            }
            if out.count > 1 << 20 { Self.flush(&out) }
        }
        if json { out.append(contentsOf: Array("\n]}\n".utf8)) }
        Self.flush(&out)
    }

    /// Accepts `0x`-prefixed or `h`-suffixed hex (the SDM's `12H`), otherwise decimal.
    static func parseLeaf(_ text: String) -> UInt32? {
        let lower = text.lowercased()
        if lower.hasPrefix("0x") { return UInt32(lower.dropFirst(2), radix: 16) }
        if lower.hasSuffix("h") { return UInt32(lower.dropLast(), radix: 16) }
        return UInt32(lower)
    }

    private static func flush(_ out: inout [UInt8]) {
        var written = 0
        while written < out.count {
            let n = out.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                break
            }
            written += n
        }
        out.removeAll(keepingCapacity: true)
    }
}
