import ArgumentParser
import CPUID
import Fleet
import FleetInventory
import X86Features

/// `vcpuid fleet can-run GUEST`: the hosts where a guest starts, and those it can be migrated to.
struct FleetCanRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-run",
        abstract: "The hosts where a guest with this CPUID can start and can be live-migrated to (as `vcpuid compare`).",
        discussion: "Exit 0 when at least one host can take the guest (start, or with migration unless --start-only), 1 when none can."
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The guest's CPUID (a guest table, template or dump).")
    var guest: String

    @Option(help: "Judge by what this kernel version's KVM offers on each host (default: raw host CPUID).")
    var kernel: String?

    @Option(name: .customLong("where"), help: "Only hosts whose current dump matches key=value; repeatable.")
    var filters: [String] = []

    @Flag(name: .customLong("start-only"), help: "Ask only where the guest can start.")
    var startOnly = false

    @Flag(help: "Print JSON, with every refusal's reasons.")
    var json = false

    struct HostVerdict: Encodable {
        var host: String
        var canStart: Bool
        var canMigrate: Bool
        var missing: [String]
        var migrationBlockers: [String]
    }

    func run() throws {
        let inventory = try database.open()
        let profile = try kernel.map { try FleetPaths.kernel($0) }
        let guestSnapshot = try DumpReader.read(path: guest).first
        var verdicts: [HostVerdict] = []
        try inventory.forEachCurrent(filters: try filters.map { try InventoryFilter(parsing: $0) }) { host in
            let verdict = GuestCompatibility(guest: guestSnapshot, host: host.snapshot, kernel: profile)
            verdicts.append(HostVerdict(host: host.name, canStart: verdict.canStart, canMigrate: verdict.canMigrate,
                                        missing: verdict.missing.map { "\($0.linux): \($0.reason.rawValue)" },
                                        migrationBlockers: verdict.migrationBlockers))
        }
        let accepted = verdicts.filter { startOnly ? $0.canStart : $0.canMigrate }
        if json {
            print(try FleetOutput.json(verdicts))
        } else {
            let rows = [["host", "start", "migrate", "why not"]] + verdicts.map { v in
                [v.host, v.canStart ? "yes" : "no", v.canMigrate ? "yes" : "no",
                 (v.missing.prefix(4) + v.migrationBlockers.prefix(1)).joined(separator: "; ") + (v.missing.count > 4 ? "; …" : "")]
            }
            print(TextColumns.render(rows))
        }
        if accepted.isEmpty { throw ExitCode(FleetMain.negativeVerdict) }
    }
}
