import ArgumentParser
import CPUID
import X86Features

/// `vcpuid dump`: prints CPUID of this machine or of a dump file, in any writable format.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print every CPUID leaf of this machine (or of a dump file) as cpuid -r text, JSON, AIDA64 or libvirt XML.",
        discussion: """
            With no file, walks CPUID on the chosen CPU (default 0) with the enumeration rules (every leaf, \
            every subleaf, every range including the hypervisor's). The default output is exactly the line \
            format of Todd Allen's `cpuid -r`.

            Examples:
              vcpuid dump --cpu 1                      CPU 1, as `cpuid -1 -r` prints it
              vcpuid dump --all-cpus --format json --output host.json
              vcpuid dump host.txt --format libvirt    a saved dump as libvirt cpudata XML
            """
    )

    @OptionGroup var input: SnapshotOptions

    @Option(help: "Output format: cpuid -r text, vcpuid JSON, AIDA64 text or libvirt cpudata XML.")
    var format: OutputDumpFormat = OutputDumpFormat(.cpuidRaw)

    @Option(help: "Write to this file (atomically: a temporary file renamed into place); '-' is standard output.")
    var output: String?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Read the CPU's feature MSRs through /dev/cpu/N/msr (default: when that device exists and the format carries MSRs); --no-msrs leaves any out."))
    var msrs: Bool?

    func validate() throws {
        try format.checkWritable()
        if msrs == true, input.file != nil { throw ValidationError("--msrs reads the live CPU's MSRs; a dump file brings its own (or --no-msrs drops them)") }
    }

    func run() throws {
        var dump = try input.loadDump()
        if msrs == false {
            for i in dump.cpus.indices { dump.cpus[i].snapshot.removeMSRs() }
        } else if input.file == nil,
                  msrs == true || (format.format.carriesMSRs && DevMSRFile.isPresent(cpu: dump.cpus.first?.number ?? 0)) {
            let indices = FeatureMSRNames.table.keys.sorted()
            for i in dump.cpus.indices {
                for msr in try DevMSRFile.read(cpu: dump.cpus[i].number, indices: indices) { dump.cpus[i].snapshot.setMSR(msr) }
            }
        }
        let text = try format.render(dump)
        try OutputDestination.emit(text, to: output)
    }
}
