import ArgumentParser
import CPUID

/// `vcpuid convert`: reads a dump in any format and writes it in another.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CPUID dump between formats (cpuid -r, AIDA64, libcpuid, libvirt XML, JSON in; raw, JSON, AIDA, libvirt out).",
        discussion: "Every CPU of the dump is converted (libvirt XML holds one CPU: choose it with --cpu). The output file is written atomically."
    )

    @Argument(help: "The dump to convert ('-' reads standard input).")
    var file: String

    @Option(name: .customLong("input-format"), help: "The input's format when detection should not guess (\(DumpFormat.allValueStrings.joined(separator: "|"))).")
    var inputFormat: DumpFormat?

    @Option(help: "Output format: \(DumpFormat.writable.map(\.rawValue).joined(separator: "|")).")
    var format: DumpFormat

    @Option(help: "Convert only this CPU of the dump.")
    var cpu: Int?

    @Option(help: "Write to this file (atomically: a temporary file renamed into place); '-' is standard output.")
    var output: String?

    func validate() throws {
        guard DumpFormat.writable.contains(format) else {
            throw ValidationError("vcpuid reads \(format) but cannot write it; use one of \(DumpFormat.writable.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        var dump = try DumpReader.read(path: file, format: inputFormat)
        if let cpu {
            guard let snapshot = dump.cpu(cpu) else {
                throw ValidationError("\(file) has no CPU \(cpu) (it has \(CPUList.format(dump.cpus.map(\.number))))")
            }
            dump.cpus = [LogicalCPU(number: cpu, snapshot: snapshot)]
        }
        let text = try DumpWriter.render(dump, as: format)
        try OutputDestination.emit(text, to: output)
    }
}
