#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Snapshots of the CPUs this program runs on, walked with the shared enumeration rules.
public enum LiveCPU {
    static let onlinePath = "/sys/devices/system/cpu/online"

    /// The logical CPUs the kernel has online, from /sys/devices/system/cpu/online.
    public static func onlineCPUs() throws(LiveSourceError) -> [Int] {
        let text: String
        do {
            text = String(decoding: try SystemFile.read(onlinePath, limit: 1 << 16), as: UTF8.self)
        } catch {
            throw .onlineListUnreadable(path: onlinePath, detail: error.detail)
        }
        guard let cpus = CPUList.parse(text) else {
            throw .onlineListUnreadable(path: onlinePath, detail: "not a CPU list: \(text)")
        }
        return cpus
    }

    /// Everything CPUID answers on one logical CPU.
    public static func snapshot(cpu: Int, source: LiveSource = .instruction) throws(LiveSourceError) -> Snapshot {
        let online = (try? onlineCPUs()) ?? []
        if !online.isEmpty, !online.contains(cpu) { throw .cpuNotOnline(cpu: cpu, online: online) }
        switch source {
        case .instruction:
            guard CPUIDInstruction.isAvailable else { throw .noInstruction }
            return try CPUAffinity.run(on: cpu) {
                Enumeration.walk { (key: LeafKey) -> Registers in CPUIDInstruction.execute(key.leaf, key.subleaf) }
            }
        case .devCPU:
            let file = try DevCPUFile(cpu: cpu)
            return try Enumeration.walk { (key: LeafKey) throws(LiveSourceError) -> Registers in try file.read(key) }
        }
    }

    /// A dump of the given CPUs (all online CPUs when `cpus` is nil).
    public static func dump(cpus: [Int]? = nil, source: LiveSource = .instruction) throws(LiveSourceError) -> Dump {
        let chosen: [Int]
        if let cpus { chosen = cpus } else { chosen = try onlineCPUs() }
        var logical: [LogicalCPU] = []
        logical.reserveCapacity(chosen.count)
        for cpu in chosen { logical.append(LogicalCPU(number: cpu, snapshot: try snapshot(cpu: cpu, source: source))) }
        return Dump(cpus: logical, origin: source == .instruction ? .instruction : .devCPU)
    }
}
