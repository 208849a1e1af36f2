import ArgumentParser
import CPUID
import X86Features
#if canImport(Glibc)
import Glibc
#endif

/// How the fleet commands turn their arguments into CPUID snapshots and kernel profiles.
enum FleetInputs {
    /// The first CPU of a dump file, or of this machine when `path` is nil.
    static func snapshot(_ path: String?, format: DumpFormat? = nil, base: Snapshot? = nil) throws -> Snapshot {
        guard let path else { return try LiveCPU.snapshot(cpu: 0, source: .instruction) }
        return try DumpReader.read(path: path, format: format, base: base).first
    }

    /// A display name: the file, or "this machine".
    static func name(_ path: String?) -> String { path ?? "this machine" }

    /// `--kernel V` as a carried kernel profile (the newest not above V); the newest profile without it.
    static func kernel(_ text: String?) throws -> KernelProfile {
        guard let text else { return KernelProfile.all[KernelProfile.all.count - 1] }
        guard let version = KernelVersion(text) else {
            throw ValidationError("--kernel '\(text)' is not a kernel version (e.g. 6.1, 6.18, or a uname -r string)")
        }
        guard version >= KernelVersion(6, 1) else {
            throw ValidationError("the kernel and KVM models start at Linux 6.1; \(version) is older")
        }
        return KernelProfile.for(version)
    }

    /// Every dump path named by the arguments: files as given, directories walked (sorted, hidden
    /// entries skipped), and with `listFile` one path a line from that file ('-': standard input).
    static func paths(_ arguments: [String], listFile: String?) throws -> [String] {
        var result: [String] = []
        for argument in arguments { try collect(argument, into: &result) }
        if let listFile {
            let bytes = try DumpReader.readBytes(path: listFile)
            for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let path = line.trimmingWhitespace()
                if !path.isEmpty { try collect(path, into: &result) }
            }
        }
        return result
    }

    private static func collect(_ path: String, into result: inout [String]) throws {
        var info = stat()
        guard path != "-", stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            result.append(path)
            return
        }
        guard let directory = opendir(path) else {
            throw ValidationError("cannot read the directory \(path): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(directory)
        let prefix = path.hasSuffix("/") ? path : path + "/"
        for name in names.sorted() { try collect(prefix + name, into: &result) }
    }
}
