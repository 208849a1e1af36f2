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
}
