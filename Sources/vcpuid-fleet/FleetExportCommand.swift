import ArgumentParser
import FleetInventory

extension InventoryExport.Format: ExpressibleByArgument {}

/// `vcpuid fleet export`: the inventory as NDJSON or CSV rows (schema vcpuid-fleet-export/1).
struct FleetExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the hosts' current dumps as rows (one per host and feature, one per host and register) for DuckDB, ClickHouse or Spark.",
        discussion: "The schema (vcpuid-fleet-export/1) is in the README's Fleet section; bit_and(value) over the rows with feature_register = true, grouped by register, is the fleet's plain intersection."
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "ndjson (one JSON object a line) or csv (one header line).")
    var format: InventoryExport.Format = .ndjson

    @Option(name: .customLong("where"), help: "Only hosts whose current dump matches key=value; repeatable.")
    var filters: [String] = []

    func run() throws {
        let inventory = try database.open()
        try InventoryExport.write(inventory, format: format, filters: try filters.map { try InventoryFilter(parsing: $0) }) { text in
            FleetOutput.write(text, to: 1)
        }
    }
}
