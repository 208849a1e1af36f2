/// One logical CPU's snapshot, with the CPU number its source gave it.
public struct LogicalCPU: Hashable, Sendable {
    public var number: Int
    public var snapshot: Snapshot

    public init(number: Int, snapshot: Snapshot) {
        self.number = number
        self.snapshot = snapshot
    }
}

/// Where a dump came from; reports name it so that a reader knows what they are looking at.
public enum DumpOrigin: Hashable, Sendable, CustomStringConvertible {
    case instruction
    case devCPU
    case file(path: String, format: DumpFormat)
    case kvmSupported
    case kvmEmulated
    case model(String)
    case guest

    public var description: String {
        switch self {
        case .instruction: "the CPUID instruction"
        case .devCPU: "/dev/cpu/N/cpuid"
        case let .file(path, format): "\(path) (\(format))"
        case .kvmSupported: "KVM_GET_SUPPORTED_CPUID"
        case .kvmEmulated: "KVM_GET_EMULATED_CPUID"
        case let .model(what): what
        case .guest: "a KVM guest executing CPUID"
        }
    }
}

/// One or more logical CPUs' snapshots and where they came from.
public struct Dump: Hashable, Sendable {
    public var cpus: [LogicalCPU]
    public var origin: DumpOrigin

    public init(cpus: [LogicalCPU], origin: DumpOrigin) {
        self.cpus = cpus
        self.origin = origin
    }

    public init(snapshot: Snapshot, cpu: Int = 0, origin: DumpOrigin) {
        self.init(cpus: [LogicalCPU(number: cpu, snapshot: snapshot)], origin: origin)
    }

    /// The first CPU's snapshot: what single-CPU commands look at.
    public var first: Snapshot { cpus.first?.snapshot ?? Snapshot() }

    /// The snapshot of the CPU with this number.
    public func cpu(_ number: Int) -> Snapshot? { cpus.first { $0.number == number }?.snapshot }

    /// The snapshot of the CPU with this number, or an error naming the CPUs the dump has.
    public func requireCPU(_ number: Int, file: String) throws(DumpError) -> Snapshot {
        guard let snapshot = cpu(number) else { throw DumpError(file: file, kind: .noSuchCPU(number, available: cpus.map(\.number))) }
        return snapshot
    }
}
