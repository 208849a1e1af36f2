import CPUID
import Glibc

/// Small reads of /sys with plain system calls. The KVM module stays free of Foundation so that a
/// command-line tool built on it starts as fast as a C program (no Foundation/ICU to load).
enum SysfsFile {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Names in a folder (without `.` and `..`); empty when it cannot be read.
    static func names(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A small file's contents with surrounding whitespace removed; nil when it cannot be read.
    static func trimmedContents(_ path: String, limit: Int = 4096) -> String? {
        guard let bytes = try? SystemFile.read(path, limit: limit) else { return nil }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
        var slice = bytes[...]
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
