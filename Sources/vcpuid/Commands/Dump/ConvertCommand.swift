import ArgumentParser
import CPUID

/// `vcpuid convert`: reads a dump in any format and writes it in another.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CPUID dump between formats (cpuid -r, AIDA64, libcpuid, libvirt XML, JSON, Firecracker in; raw, JSON, AIDA, libvirt out).",
        discussion: """
            Every CPU of the dump is converted (libvirt XML holds one CPU: choose it with --cpu). The output \
            file is written atomically. libcpuid raw files can be read but not written.

            Examples:
              vcpuid convert aida64-report.txt --format raw --output host.cpuid
              vcpuid convert host.cpuid --format libvirt --cpu 0 --output cpudata.xml
            """
    )

    @Argument(help: "The dump to convert ('-' reads standard input).")
    var file: String

    @Option(name: .customLong("input-format"), help: "The input's format when detection should not guess.")
    var inputFormat: DumpFormat?

    @Option(help: "Output format: cpuid -r text, vcpuid JSON, AIDA64 text or libvirt cpudata XML.")
    var format: OutputDumpFormat

    @Option(help: ArgumentHelp("For a Firecracker template: a dump of the CPU it applies to, which supplies what the template leaves unspecified.", valueName: "file"))
    var base: String?

    @Option(help: "Convert only this CPU of the dump.")
    var cpu: Int?

    @Option(help: "Write to this file (atomically: a temporary file renamed into place); '-' is standard output.")
    var output: String?

    func validate() throws {
        try format.checkWritable()
    }

    func run() throws {
        var dump = try DumpReader.read(path: file, format: inputFormat, base: try base.map { try DumpReader.read(path: $0).first })
        if let cpu { dump.cpus = [try dump.logicalCPU(cpu, in: file)] }
        let text = try format.render(dump)
        try OutputDestination.emit(text, to: output)
    }
}
