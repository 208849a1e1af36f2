import ArgumentParser
import CPUID
import Fleet
import FleetInventory
import Pictures
import X86Features

/// `vcpuid fleet report --html OUT.html`: the inventory's baseline as a heat map of hosts × lost features.
struct FleetReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML heat map: which (matching) hosts lack which features the baseline loses.",
        discussion: """
            The baseline is `fleet baseline`'s (same --where, --view, --kernel, --migratable); the hosts are read \
            a second time to mark every host. Features most hosts lack and hosts that lack most come first.

            Example:
              vcpuid fleet report --html fleet.html --where vendor=GenuineIntel --view kvm
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "out.html"))
    var html: String

    @Option(name: .customLong("where"), help: "Only hosts whose current dump matches key=value (kernel, vendor, family, model, stepping, host); repeatable.")
    var filters: [String] = []

    @Option(help: "Which CPUID of each host to intersect: raw, linux or kvm.")
    var view: BaselineView = .raw

    @Option(help: "The kernel version for every host (default: each host's recorded kernel, else the newest modelled).")
    var kernel: String?

    @Flag(help: "Drop what libvirt marks not migratable (invtsc, xsaves).")
    var migratable = false

    func validate() throws {
        if html.isEmpty || html.hasSuffix("/") { throw ValidationError("--html '\(html)' names no file") }
    }

    func run() throws {
        let inventory = try database.open()
        let parsed = try filters.map { try InventoryFilter(parsing: $0) }
        let fixed = try kernel.map { try FleetPaths.kernel($0) }
        let newest = KernelProfile.newest
        func profile(_ host: InventorySnapshot) -> KernelProfile {
            fixed ?? host.kernel.flatMap(KernelVersion.init).map { KernelProfile.for($0) } ?? newest
        }
        var accumulator = BaselineAccumulator()
        try inventory.forEachCurrent(filters: parsed) { host in
            accumulator.add(view.apply(to: host.snapshot, kernel: profile(host)), name: host.name)
        }
        let baseline = try accumulator.result(kernel: fixed ?? newest, migratable: migratable)
        var map = FleetHeatMap(baseline: baseline)
        try inventory.forEachCurrent(filters: parsed) { host in
            map.add(view.apply(to: host.snapshot, kernel: profile(host)), name: host.name)
        }
        let title = "baseline of \(baseline.inputCount) host\(baseline.inputCount == 1 ? "" : "s") (\(view.rawValue) view)"
            + (migratable ? ", migratable" : "")
        let header = ReportHeader.standard(
            read: "inventory \(database.db)" + (filters.isEmpty ? "" : " where " + filters.joined(separator: " and ")),
            kernel: fixed.map { "Linux \($0.version) for every host" } ?? "each host's recorded kernel (else Linux \(newest.version))",
            extra: [("baseline", title)])
        do {
            try DumpWriter.writeAtomically(map.html(header: header), to: html)
        } catch {
            throw ValidationError("cannot write the HTML report \(html): \(error)")
        }
        print("wrote \(html): \(baseline.inputCount) hosts, \(baseline.lost.count) lost features")
    }
}
