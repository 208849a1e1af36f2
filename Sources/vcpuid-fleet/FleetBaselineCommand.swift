import ArgumentParser
import CPUID
import Fleet
import FleetInventory
import X86Features

extension BaselineView: ExpressibleByArgument {}

extension DumpFormat: ExpressibleByArgument {}

/// `vcpuid fleet baseline`: the guest CPU every (matching) host can run, streamed from the database.
struct FleetBaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "The guest CPU every matching host can run, with the reason for every lost feature (as `vcpuid baseline`).",
        discussion: """
            --view kvm models each host's KVM with the kernel recorded for it (fleet add --kernel), or --kernel V \
            for all; hosts with no recorded kernel use the newest modelled one.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("where"), help: "Only hosts whose current dump matches key=value (kernel, vendor, family, model, stepping, host); repeatable.")
    var filters: [String] = []

    @Option(help: "Which CPUID of each host to intersect: raw, linux or kvm.")
    var view: BaselineView = .raw

    @Option(help: "The kernel version for every host (default: each host's recorded kernel, else the newest modelled).")
    var kernel: String?

    @Flag(help: "Drop what libvirt marks not migratable (invtsc, xsaves).")
    var migratable = false

    @Option(help: "Write the guest table in this dump format (raw, json, aida, libvirt) instead of the summary.")
    var format: DumpFormat?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let format, !DumpFormat.writable.contains(format) {
            throw ValidationError("vcpuid reads \(format) but cannot write it; use one of raw, json, aida, libvirt")
        }
    }

    func run() throws {
        let inventory = try database.open()
        let parsed = try filters.map { try InventoryFilter(parsing: $0) }
        let fixed = try kernel.map { try FleetPaths.kernel($0) }
        let newest = KernelProfile.newest
        var accumulator = BaselineAccumulator()
        var progress = ProgressLine(total: try inventory.count(filters: parsed), noun: "hosts")
        try inventory.forEachCurrent(filters: parsed) { host in
            let profile = fixed ?? host.kernel.flatMap(KernelVersion.init).map { KernelProfile.for($0) } ?? newest
            accumulator.add(view.apply(to: host.snapshot, kernel: profile), name: host.name)
            progress.update(accumulator.count)
        }
        progress.finish()
        let profile = fixed ?? newest
        let baseline = try accumulator.result(kernel: profile, migratable: migratable)
        let title = "baseline of \(baseline.inputCount) host\(baseline.inputCount == 1 ? "" : "s") (\(view.rawValue) view)"
            + (migratable ? ", migratable" : "")
        if let format {
            print(try DumpWriter.render(baseline.dump(origin: title), as: format), terminator: "")
        } else if json {
            print(try FleetOutput.json(FleetBaselineDocument(baseline)))
        } else {
            print(baseline.report(title: title), terminator: "")
        }
    }
}

/// `fleet baseline --json`.
struct FleetBaselineDocument: Encodable {
    struct Named: Encodable {
        var linux: String
        var qemu: String?
    }

    var hosts: Int
    var vendor: String
    var level: String?
    var representative: String
    var features: [Named]
    var lost: [LostFeature]
    /// The feature registers of the result, `leaf.subleaf.register` → value, as the export's schema names them.
    var registers: [String: UInt32]
    /// The plain AND of the hosts' feature registers (what `bit_and` over the export gives).
    var intersection: [String: UInt32]

    init(_ baseline: Baseline) {
        hosts = baseline.inputCount
        vendor = baseline.vendor
        level = baseline.level?.description
        representative = baseline.representative
        features = baseline.features.map { Named(linux: $0.linuxName, qemu: $0.qemuName) }
        lost = baseline.lost
        let words = FeatureWords(baseline.table)
        var registers: [String: UInt32] = [:]
        var intersection: [String: UInt32] = [:]
        for (i, register) in FeatureRegister.all.enumerated() {
            registers[FleetExportNames.register(register)] = words.values[i]
            intersection[FleetExportNames.register(register)] = baseline.intersection.values[i]
        }
        self.registers = registers
        self.intersection = intersection
    }
}
