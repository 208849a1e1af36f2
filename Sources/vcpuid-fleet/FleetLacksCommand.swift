import ArgumentParser
import Fleet
import FleetInventory

/// `vcpuid fleet lacks FEATURE`: the hosts without it, like grep: exit 0 when some host lacks it.
struct FleetLacksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lacks",
        abstract: "The hosts whose current dump lacks a feature (Linux, macro or QEMU name); exit 0 if any, 1 if none."
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The feature, e.g. avx512f, AVX512F or sha-ni.")
    var feature: String

    @Option(name: .customLong("where"), help: "Only hosts whose current dump matches key=value; repeatable.")
    var filters: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    struct Document: Encodable {
        var feature: String
        var qemu: String?
        var hosts: [String]
    }

    func run() throws {
        guard let bit = FeatureBits.shared.bit(named: feature) else { throw InventoryError.unknownFeature(feature) }
        let inventory = try database.open()
        let hosts = try inventory.hosts(lacking: bit.field, filters: try filters.map { try InventoryFilter(parsing: $0) })
        if json {
            print(try FleetOutput.json(Document(feature: bit.linuxName, qemu: bit.qemuName, hosts: hosts)))
        } else if !hosts.isEmpty {
            print(hosts.joined(separator: "\n"))
        }
        if hosts.isEmpty { throw ExitCode(FleetMain.negativeVerdict) }
    }
}
