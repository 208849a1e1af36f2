import ArgumentParser
import CPUID
import KVM
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

            Examples:
              vcpuid decode --leaf 0x12                     SGX: leaf functions, attributes, EPC sections
              vcpuid decode host.cpuid --cpu 3 --json
            """
    )

    @OptionGroup var input: SnapshotOptions

    @Option(help: ArgumentHelp("Only this leaf, e.g. 7, 0xd, 12h or 0x80000008.", valueName: "leaf"))
    var leaf: String?

    @Flag(help: "Print JSON instead of aligned text.")
    var json = false

    @Option(help: ArgumentHelp("Decode a feature-MSR value instead of the input's CPUID, e.g. 0x10a=0x0c000069 (repeatable); the input still says the vendor, which decides UCODE_REV's layout.", valueName: "index=value"))
    var msr: [String] = []

    func validate() throws {
        if let leaf, Self.parseLeaf(leaf) == nil {
            throw ValidationError("--leaf expects a leaf number such as 7, 0xd, 12h or 0x80000008, not '\(leaf)'")
        }
    }

    func run() throws {
        if !msr.isEmpty { return try decodeGivenMSRs() }
        let dump = try input.loadDump()
        if let wanted = leaf.flatMap(Self.parseLeaf), !dump.cpus.contains(where: { !$0.snapshot.subleaves(of: wanted).isEmpty }) {
            throw ValidationError("--leaf \(leaf ?? ""): no CPU read from \(dump.origin) enumerates leaf \(Hex.word(wanted))")
        }
        DecodeBatchRenderer.render(dump.cpus, leaf: leaf.flatMap(Self.parseLeaf), style: json ? .json : .text) {
            TextOutput.write($0, to: STDOUT_FILENO)
        }
    }

    /// `--msr INDEX=VALUE`: the values decoded as a snapshot carrying only those MSRs (and the input's vendor).
    private func decodeGivenMSRs() throws {
        let vendorSource = try input.loadSnapshot()
        var snapshot = Snapshot()
        if let leaf0 = vendorSource.entry(0, 0) { snapshot.set(leaf0) }
        for text in msr {
            guard let assignment = try? MSRAssignment(parsing: "msr." + text), assignment.width == 64 else {
                throw ValidationError("--msr expects INDEX=VALUE such as 0x10a=0x0c000069, not '\(text)'")
            }
            snapshot.setMSR(MSR(assignment.msr, .value(assignment.value)))
        }
        var out = TextOutput(capacity: 4096)
        if json {
            out.append("{\"cpu\": 0")
            DecodeRenderer.appendMSRJSON(snapshot, into: &out)
            out.append("}\n")
        } else {
            DecodeRenderer.appendMSRText(snapshot, into: &out)
        }
        TextOutput.write(out.bytes, to: STDOUT_FILENO)
    }

    /// Accepts `0x`-prefixed or `h`-suffixed hex (the SDM's `12H`), otherwise decimal.
    static func parseLeaf(_ text: String) -> UInt32? {
        let lower = text.lowercased()
        if lower.hasPrefix("0x") { return UInt32(lower.dropFirst(2), radix: 16) }
        if lower.hasSuffix("h") { return UInt32(lower.dropLast(), radix: 16) }
        return UInt32(lower)
    }
}
