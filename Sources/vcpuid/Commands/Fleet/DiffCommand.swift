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

    func run() throws {
        let a = try FleetInputs.snapshot(first, format: inputFormat)
        let b = try FleetInputs.snapshot(second, format: inputFormat)
        let diff = SnapshotDiff(a, b)
        if json {
            print(try prettyJSON(SnapshotDiffDocument(first: first, second: FleetInputs.name(second), diff: diff)))
        } else {
            print(diff.report(first: first, second: FleetInputs.name(second)), terminator: "")
        }
        if !diff.isEqual { throw ExitCode(ExitStatus.negativeVerdict) }
    }
}
