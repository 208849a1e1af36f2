import ArgumentParser
import CPUID
import Fleet
import FleetInventory
import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import X86Features

/// `vcpuid fleet add`: stores dumps, one transaction per batch; ^C stops after the batch in progress.
struct FleetAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add CPUID dumps to the inventory (a host per file, named after the file unless --host).",
        discussion: """
            Directories are walked; --files-from reads more paths. A dump whose content the host already has \
            is a no-op; a different one becomes the host's current dump and the old one stays in its history. \
            Dumps are committed in batches of --batch, each one transaction: an interrupt (^C) commits the \
            dumps read so far and stops, and a crash loses only the batch in progress — never part of a host.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "Dump files or directories of dumps.")
    var files: [String] = []

    @Option(name: .customLong("files-from"), help: "Read more dump paths from this file, one a line ('-': standard input).")
    var filesFrom: String?

    @Option(help: "The host's name (one file only; default: the file name without its extension).")
    var host: String?

    @Option(help: "The kernel version the hosts run, e.g. 6.1 (stored; the kvm view of fleet baseline uses it).")
    var kernel: String?

    @Option(help: "Dumps per transaction.")
    var batch = 1000

    @Flag(help: "Print the outcome per dump as JSON lines.")
    var json = false

    func validate() throws {
        if files.isEmpty, filesFrom == nil { throw ValidationError("give dump files or directories, or --files-from") }
        if host != nil, files.count != 1 || filesFrom != nil { throw ValidationError("--host names one host: give exactly one file") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let kernel, KernelVersion(kernel) == nil { throw ValidationError("--kernel '\(kernel)' is not a kernel version (e.g. 6.1)") }
    }

    func run() throws {
        let inventory = try database.open()
        let paths = try FleetPaths.collect(files, listFile: filesFrom)
        let kernelText = kernel.flatMap(KernelVersion.init)?.description
        Interrupt.install()
        var progress = ProgressLine(total: paths.count, noun: "dumps")
        var counts: [ImportOutcome: Int] = [:]
        var pending: [ImportItem] = []
        var done = 0
        func commit() throws {
            guard !pending.isEmpty else { return }
            let outcomes = try inventory.add(pending)
            for (item, outcome) in zip(pending, outcomes) {
                counts[outcome, default: 0] += 1
                if json { print(#"{"host":"\#(item.host)","outcome":"\#(outcome.rawValue)"}"#) }
            }
            done += pending.count
            pending.removeAll(keepingCapacity: true)
            progress.update(done)
        }
        for path in paths {
            if Interrupt.requested { break }
            let snapshot = try DumpReader.read(path: path).first
            pending.append(ImportItem(host: host ?? Self.hostName(path), snapshot: snapshot, kernel: kernelText, source: path))
            if pending.count >= batch { try commit() }
        }
        try commit()
        progress.finish()
        let summary = "\(counts[.added, default: 0]) added, \(counts[.updated, default: 0]) updated, \(counts[.unchanged, default: 0]) unchanged"
        if Interrupt.requested {
            FleetOutput.error("interrupted: \(done) of \(paths.count) dumps committed (\(summary))")
            throw ExitCode(FleetMain.failure)
        }
        if !json { print(summary) }
    }

    /// `hosts/web-01.cpuid` → `web-01`.
    static func hostName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}

/// SIGINT as a request to stop at the next batch boundary rather than an immediate exit.
enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        signal(SIGINT) { _ in Interrupt.flag.store(true, ordering: .relaxed) }
    }
}
