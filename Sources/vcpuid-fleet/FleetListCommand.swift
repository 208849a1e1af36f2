import ArgumentParser
import Fleet
import FleetInventory

/// `vcpuid fleet list`: the hosts and their current dumps, or one host's history.
struct FleetListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the hosts (vendor, family/model/stepping, kernel, when added, how many dumps), or one host's history."
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("where"), help: "Only hosts whose current dump matches key=value (kernel, vendor, family, model, stepping, host); repeatable.")
    var filters: [String] = []

    @Option(help: "Show this host's dumps, oldest first, instead of the list.")
    var history: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let inventory = try database.open()
        if let history {
            let versions = try inventory.history(of: history)
            if json { print(try FleetOutput.json(versions)); return }
            let rows = [["added", "content hash", "kernel", "current", "source"]] + versions.map {
                [FleetOutput.date($0.added), $0.contentHash, $0.kernel ?? "-", $0.isCurrent ? "yes" : "", $0.source ?? "-"]
            }
            print(TextColumns.render(rows))
            return
        }
        let hosts = try inventory.hosts(filters: try filters.map { try InventoryFilter(parsing: $0) })
        if json { print(try FleetOutput.json(hosts)); return }
        let rows = [["host", "vendor", "family", "model", "stepping", "kernel", "added", "dumps"]] + hosts.map {
            [$0.name, $0.vendor, "0x" + String($0.family, radix: 16), "0x" + String($0.model, radix: 16), String($0.stepping),
             $0.kernel ?? "-", FleetOutput.date($0.added), String($0.versions)]
        }
        print(TextColumns.render(rows))
    }
}
