import ArgumentParser
import Fleet
import FleetInventory

/// `vcpuid fleet diff HOST1 HOST2`: `vcpuid diff` of two hosts' current dumps.
struct FleetDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What differs between two hosts' current dumps (as `vcpuid diff`); exit 0 equal, 1 different."
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The first host.")
    var first: String

    @Argument(help: "The second host.")
    var second: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let inventory = try database.open()
        let a = try inventory.current(first)
        let b = try inventory.current(second)
        let diff = SnapshotDiff(a.snapshot, b.snapshot)
        if json {
            print(try FleetOutput.json(SnapshotDiffDocument(first: first, second: second, diff: diff)))
        } else {
            print(diff.report(first: first, second: second), terminator: "")
        }
        if !diff.isEqual { throw ExitCode(FleetMain.negativeVerdict) }
    }
}
