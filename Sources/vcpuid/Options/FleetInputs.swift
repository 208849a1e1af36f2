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


    /// Threads for folding dumps: the online processors, at most four.
    static func workerCount() -> Int {
        max(1, min(4, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
