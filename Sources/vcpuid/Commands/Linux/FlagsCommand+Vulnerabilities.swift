import ArgumentParser
import CPUID
import Glibc
import X86Features

extension FlagsCommand {
    /// Whether `path` is a directory (then --compare reads it as /sys/devices/system/cpu/vulnerabilities).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// `--compare /sys/devices/system/cpu/vulnerabilities`: affected vs "Not affected" per file.
    func runVulnerabilityComparison(_ view: LinuxView, directory: String) throws {
        guard let folder = opendir(directory) else {
            throw ValidationError("cannot read the directory \(directory): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(folder)
        // A directory is a vulnerabilities directory only if it holds a file the kernel writes there.
        guard names.contains(where: { VulnerabilityFiles.bugs[$0] != nil }) else {
            throw ValidationError("\(directory): cannot read: it is a directory without the files of "
                + "/sys/devices/system/cpu/vulnerabilities (meltdown, spectre_v2, ...)")
        }
        var files: [(name: String, text: String)] = []
        for name in names {
            do {
                let bytes = try SystemFile.read(directory + "/" + name, limit: 4096)
                files.append((name, String(decoding: bytes, as: UTF8.self)))
            } catch {
                throw ValidationError("\(directory)/\(name): \(error)")
            }
        }
        let comparison = VulnerabilityComparison(view: view, files: files)
        if json {
            print(try prettyJSON(VulnerabilityComparisonJSON(comparison, kernel: view.kernel.version)))
        } else {
            let differing = comparison.entries.count - comparison.agreeing
            print("Linux \(view.kernel.version) model vs \(directory): \(comparison.agreeing) files agree, "
                + "\(differing) differ or are undecided, \(comparison.unexplained.count) unexplained")
            var rows = [["FILE", "KERNEL", "VCPUID", "VERDICT", "WHY"]]
            for entry in comparison.entries {
                let kernel = entry.kernelAffected ? "affected" : "not affected"
                let derived = entry.derivedAffected.map { $0 ? "affected" : "not affected" } ?? "-"
                switch entry.verdict {
                case .agrees: rows.append([entry.name, kernel, derived, "agrees", ""])
                case let .undecided(reason): rows.append([entry.name, kernel, "undecided", "undecided (no MSR)", reason])
                case let .unexplained(reason): rows.append([entry.name, kernel, derived, "UNEXPLAINED", reason])
                case .unknownFile: rows.append([entry.name, kernel, "-", "not modelled", "no x86 bug maps to this file"])
                }
            }
            print(alignedColumns(rows))
        }
        if !comparison.unexplained.isEmpty { throw ExitCode(ExitStatus.negativeVerdict) }
    }
}

/// `vcpuid flags --compare DIR --json`.
struct VulnerabilityComparisonJSON: Encodable {
    struct Entry: Encodable {
        var file: String
        var text: String
        var kernelAffected: Bool
        var derivedAffected: Bool?
        var verdict: String
        var reason: String?
    }

    var kernel: String
    var entries: [Entry]
    var unexplained: Int

    init(_ comparison: VulnerabilityComparison, kernel: KernelVersion) {
        self.kernel = kernel.description
        unexplained = comparison.unexplained.count
        entries = comparison.entries.map { entry in
            let (verdict, reason): (String, String?) = switch entry.verdict {
            case .agrees: ("agrees", nil)
            case let .undecided(why): ("undecided", why)
            case let .unexplained(why): ("unexplained", why)
            case .unknownFile: ("not modelled", nil)
            }
            return Entry(file: entry.name, text: entry.text, kernelAffected: entry.kernelAffected,
                         derivedAffected: entry.derivedAffected, verdict: verdict, reason: reason)
        }
    }
}
