import ArgumentParser
import CPUID
import Fleet

/// `vcpuid diff A [B]`: what differs between two CPUs, features first, with migration hazards marked.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two CPUID dumps (or a dump and this machine): features both ways, raw registers, MSRs, migration hazards.",
        discussion: """
            Named features come first, in Linux and QEMU names (only in A / only in B); then the register \
            bits no named feature explains, grouped by leaf and register; then MSRs. Bits that name the \
            logical CPU (APIC and core IDs) are left out. Hazards — differences that break live migration or \
            snapshot restore (invariant TSC, XSAVES, TSX, AMX, XSAVE sizes, maximum leaves, \
            family/model/stepping) — are marked with '!'. Exit status: 0 equal, 1 different, 2 unreadable input.

            Examples:
              vcpuid diff host-a.cpuid host-b.cpuid
              vcpuid diff guest-table.json --json        a guest table against this machine
            """
    )

    @Argument(help: "The first dump.")
    var first: String

    @Argument(help: "The second dump (default: this machine).")
    var second: String?

    @Option(name: .customLong("input-format"), help: "The dumps' format, when detection should not guess.")
    var inputFormat: DumpFormat?

    @Flag(help: "Print the differences as JSON.")
    var json = false

    struct Document: Encodable {
        var first: String
        var second: String
        var equal: Bool
        var diff: SnapshotDiff
    }

    func run() throws {
        let a = try FleetInputs.snapshot(first, format: inputFormat)
        let b = try FleetInputs.snapshot(second, format: inputFormat)
        let diff = SnapshotDiff(a, b)
        if json {
            print(try prettyJSON(Document(first: first, second: FleetInputs.name(second), equal: diff.isEqual, diff: diff)))
        } else {
            print(Self.text(diff, first: first, second: FleetInputs.name(second)), terminator: "")
        }
        if !diff.isEqual { throw ExitCode(ExitStatus.negativeVerdict) }
    }

    static func text(_ diff: SnapshotDiff, first: String, second: String) -> String {
        var lines = ["A: \(first)", "B: \(second)"]
        if diff.isEqual { return (lines + ["equal: no differences"]).joined(separator: "\n") + "\n" }
        func features(_ list: [SnapshotDiff.Feature]) -> String {
            list.map { feature in feature.qemu.map { $0 == feature.linux ? feature.linux : "\(feature.linux) (\($0))" } ?? feature.linux }.joined(separator: " ")
        }
        lines.append("")
        lines.append("features only in A (\(diff.onlyInFirst.count)): \(features(diff.onlyInFirst))")
        lines.append("features only in B (\(diff.onlyInSecond.count)): \(features(diff.onlyInSecond))")
        if !diff.registers.isEmpty {
            lines.append("")
            lines.append("registers (bits no named feature explains):")
            var rows = [["leaf", "subleaf", "reg", "A", "B", "bits"]]
            for r in diff.registers {
                rows.append([r.leaf, r.subleaf, r.register, r.first ?? "-", r.second ?? "-", r.bits])
            }
            lines.append(alignedColumns(rows).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        if !diff.msrs.isEmpty {
            lines.append("")
            lines.append("MSRs:")
            lines.append(alignedColumns([["index", "A", "B"]] + diff.msrs.map { [$0.index, $0.first ?? "not sampled", $0.second ?? "not sampled"] })
                .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        if !diff.hazards.isEmpty {
            lines.append("")
            lines.append("migration hazards:")
            for hazard in diff.hazards { lines.append("  ! \(hazard)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
