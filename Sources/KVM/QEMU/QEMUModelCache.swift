import CPUID
import Glibc

/// The per-binary cache of `QEMUModelProbe` answers, so that asking again costs a file read, not a QEMU start.
///
/// Keyed by the binary's path, size, modification time and inode (an upgrade changes them; `--version` is
/// recorded inside but not asked on every use, which would cost a QEMU start); written atomically (temp file,
/// rename); an unreadable or corrupt file is ignored and rewritten.
public struct QEMUModelCache: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$XDG_CACHE_HOME/vcpuid`, else `~/.cache/vcpuid`.
    public static func standard() -> QEMUModelCache {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return QEMUModelCache(directory: xdg + "/vcpuid")
        }
        var home = getenv("HOME").map { String(cString: $0) } ?? ""
        if home.isEmpty, let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { home = String(cString: dir) }
        return QEMUModelCache(directory: (home.isEmpty ? "/tmp" : home) + "/.cache/vcpuid")
    }

    /// What identifies one build of a binary: `path|size|mtime|inode`; nil when there is no such file.
    public static func key(binary: String) -> String? {
        var info = stat()
        guard stat(binary, &info) == 0 else { return nil }
        return "\(binary)|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)|\(info.st_ino)"
    }

    public func file(forKey key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return directory + "/qemu-models-" + String(repeating: "0", count: 16 - hex.count) + hex + ".json"
    }

    /// The cached table for a binary, when a valid one exists.
    public func cached(binary: String) -> QEMUModelTable? {
        guard let key = Self.key(binary: binary) else { return nil }
        let path = file(forKey: key)
        guard let text = SystemFile.text(path, limit: 16 << 20) else { return nil }
        return QEMUModelTable(json: text, source: .cache(file: path), expectedKey: key)
    }

    /// Writes the table for a binary: a temp file in the same directory, then rename. Failures are returned,
    /// not thrown: a cache that cannot be written only costs the next run a QEMU start.
    @discardableResult
    public func store(_ table: QEMUModelTable, binary: String) -> String? {
        guard let key = Self.key(binary: binary) else { return "cannot stat \(binary)" }
        var partial = ""
        for component in directory.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST { return "cannot create \(partial): \(Errno.current)" }
        }
        do {
            try DumpWriter.writeAtomically(table.json(key: key), to: file(forKey: key))
        } catch {
            return error.description
        }
        return nil
    }
}

/// Where `vcpuid qemu ...` gets QEMU's models: the cache, else the binary (then cached), else the bundled table.
public enum QEMUModels {
    /// - Parameter refresh: ask QEMU even when a cached answer exists.
    /// - Returns: the table and notes (a missing QEMU, a cache that could not be written).
    public static func load(binary: String = QEMUModelProbe.defaultBinary, cache: QEMUModelCache = .standard(),
                            refresh: Bool = false, allowBundled: Bool = true) throws(QEMUProbeError) -> (table: QEMUModelTable, notes: [String]) {
        if !refresh, let table = cache.cached(binary: binary) { return (table, []) }
        guard access(binary, X_OK) == 0 else {
            guard allowBundled else { throw .notFound(binary) }
            return (QEMUBundledModels.table,
                    ["no QEMU at \(binary): using vcpuid's bundled table, taken from \(QEMUBundledModels.table.versionLine)"])
        }
        let table: QEMUModelTable
        do {
            table = try QEMUModelProbe.probe(binary: binary)
        } catch {
            guard allowBundled else { throw error }
            return (QEMUBundledModels.table, ["\(error); using vcpuid's bundled table, taken from \(QEMUBundledModels.table.versionLine)"])
        }
        var notes: [String] = []
        if let problem = cache.store(table, binary: binary) { notes.append("cache not written: \(problem)") }
        return (table, notes)
    }
}
