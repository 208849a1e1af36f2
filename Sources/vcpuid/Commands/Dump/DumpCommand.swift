import ArgumentParser
import CPUID

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

    func validate() throws {
        try format.checkWritable()
    }

    func run() throws {
        let dump = try input.loadDump()
        let text = try format.render(dump)
        try OutputDestination.emit(text, to: output)
    }
}
