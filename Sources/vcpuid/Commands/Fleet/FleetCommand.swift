import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `vcpuid fleet ...`: hands the command line to `vcpuid-fleet`, installed next to `vcpuid`. The inventory
/// needs SQLite through GRDB, which links full Foundation; keeping it in its own executable keeps every
/// other command's start-up as it is (docs/startup.md).
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "An inventory of many hosts in one SQLite file: add, list, baseline, lacks, can-run, diff, export.",
        discussion: "Runs vcpuid-fleet (installed next to vcpuid) with the same arguments; `vcpuid fleet --help` lists its commands."
    )

    @Argument(parsing: .captureForPassthrough, help: "The fleet subcommand and its arguments.")
    var arguments: [String] = []

    func run() throws {
        let path = Self.companion()
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, &argv)
        throw ValidationError("cannot run \(path): \(String(cString: strerror(errno))); install vcpuid-fleet next to vcpuid")
    }

    /// `vcpuid-fleet` in the directory of the running executable.
    static func companion() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                                   : CommandLine.arguments[0]
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (directory.isEmpty ? "." : directory) + "/vcpuid-fleet"
    }
}
