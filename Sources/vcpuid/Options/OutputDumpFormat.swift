import ArgumentParser
import CPUID

/// `--format` of `dump` and `convert`: help lists only the formats vcpuid writes, while a readable-only
/// name still parses so that it gets a refusal saying why.
struct OutputDumpFormat: ExpressibleByArgument {
    var format: DumpFormat

    init(_ format: DumpFormat) { self.format = format }

    init?(argument: String) {
        guard let format = DumpFormat(argument: argument) else { return nil }
        self.format = format
    }

    static var allValueStrings: [String] { DumpFormat.writable.map(\.rawValue) }

    var defaultValueDescription: String { format.rawValue }

    /// Refuses a format vcpuid reads but cannot write.
    func checkWritable() throws {
        guard DumpFormat.writable.contains(format) else {
            throw ValidationError("vcpuid reads \(format) but cannot write it; use one of \(Self.allValueStrings.joined(separator: ", "))")
        }
    }

    /// The dump in this format. MSRs the format cannot carry are counted on standard error, so that nobody
    /// takes the output for the whole dump; the exit status stays that of a successful write.
    func render(_ dump: Dump) throws -> String {
        let text = try DumpWriter.render(dump, as: format)
        let leftOut = DumpWriter.msrsLeftOut(of: dump, as: format)
        if leftOut > 0 {
            let what = format == .libvirt ? "faulted MSR read\(leftOut == 1 ? "" : "s") (libvirt's <msr> holds a value)"
                                          : "MSR\(leftOut == 1 ? "" : "s") (\(format.displayName) has no place for them)"
            printToStandardError("note: \(leftOut) \(what) left out; --format json or aida keeps them")
        }
        return text
    }
}
