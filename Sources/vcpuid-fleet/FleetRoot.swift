import ArgumentParser
import FleetInventory

/// `vcpuid fleet` (this executable, which `vcpuid fleet ...` hands over to): an inventory of many hosts in
/// one SQLite file, and the fleet questions asked of it.
@main
struct FleetRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcpuid fleet",
        abstract: "An inventory of hosts' CPUID in one SQLite file, and the fleet's questions: baseline, lacks, can-run, diff.",
        discussion: """
            Every subcommand takes --db PATH (default ./vcpuid-fleet.sqlite). Adding the same dump twice is a \
            no-op; a changed dump for a host becomes current and the old one stays in the host's history. \
            Writes are transactions; several processes may import at once. The schema is versioned and \
            migrated when opened.

            Examples:
              vcpuid fleet add dumps/ --kernel 6.1
              vcpuid fleet baseline --where kernel=6.1 --where vendor=GenuineIntel
              vcpuid fleet lacks avx512f
              vcpuid fleet can-run guest.json
              vcpuid fleet export --format ndjson > fleet.ndjson
            """,
        subcommands: [
            FleetAddCommand.self,
            FleetListCommand.self,
            FleetBaselineCommand.self,
            FleetLacksCommand.self,
            FleetCanRunCommand.self,
            FleetDiffCommand.self,
            FleetExportCommand.self,
            FleetReportCommand.self,
        ]
    )

    static func main() {
        FleetMain.main(Array(CommandLine.arguments.dropFirst()))
    }
}

/// `--db PATH`, shared by every fleet subcommand.
struct DatabaseOption: ParsableArguments {
    @Option(help: "The inventory database file.")
    var db = "vcpuid-fleet.sqlite"

    func open() throws -> Inventory { try Inventory(path: db) }
}
