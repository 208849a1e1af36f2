import ArgumentParser
import CPUID
#if canImport(Glibc)
import Glibc
#endif
import X86Features

/// Argument helpers of the fleet commands: dump paths (directories walked in name order) and kernels.
enum FleetPaths {
    static func collect(_ arguments: [String], listFile: String?) throws -> [String] {
        var result: [String] = []
        for argument in arguments { try walk(argument, into: &result) }
        if let listFile {
            let bytes = try DumpReader.readBytes(path: listFile)
            for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let path = String(line.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
                if !path.isEmpty { try walk(path, into: &result) }
            }
        }
        return result
    }

    private static func walk(_ path: String, into result: inout [String]) throws {
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
        for name in names.sorted() { try walk(prefix + name, into: &result) }
    }

    /// `--kernel V` as a carried profile (the newest not above V).
    static func kernel(_ text: String) throws -> KernelProfile {
        guard let version = KernelVersion(text) else {
            throw ValidationError("--kernel '\(text)' is not a kernel version (e.g. 6.1, 6.18)")
        }
        guard version >= KernelVersion(6, 1) else { throw ValidationError("the kernel and KVM models start at Linux 6.1; \(version) is older") }
        return KernelProfile.for(version)
    }
}
