import ArgumentParser
import CPUID
import X86Features

extension DumpFormat: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension LiveSource: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Dump {
    /// CPU `number` of this dump, read from `file`; a usage error naming the CPUs it has when it has no such CPU.
    func logicalCPU(_ number: Int, in file: String) throws -> LogicalCPU {
        guard let snapshot = cpu(number) else {
            throw ValidationError("\(file) \(DumpError(file: file, kind: .noSuchCPU(number, available: cpus.map(\.number))).message)")
        }
        return LogicalCPU(number: number, snapshot: snapshot)
    }
}

/// Where a command's CPUID view comes from: a dump file, standard input, or the live CPU(s).
/// Every command that looks at CPUID takes these options with `@OptionGroup var input: SnapshotOptions`.
struct SnapshotOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A CPUID dump to read instead of this machine ('-' reads standard input).",
                                 discussion: "Formats: cpuid -r, AIDA64/InstLatx64 reports, libcpuid raw, libvirt cpudata XML, vcpuid JSON, Firecracker CPU templates and fingerprints; detected automatically.",
                                 valueName: "file"))
    var file: String?

    // .unconditional: `--cpu -1` reaches validate() and its message instead of "missing value".
    @Option(parsing: .unconditional, help: "The logical CPU to look at (default: CPU 0, or the first CPU of a dump).")
    var cpu: Int?

    @Flag(name: .customLong("all-cpus"), help: "Every online CPU (or every CPU of the dump), not just one.")
    var allCPUs = false

    @Option(help: "How to read the live CPU: 'cpuid' runs the instruction pinned to the CPU; 'devcpu' reads /dev/cpu/N/cpuid.")
    var source: LiveSource = .instruction

    @Option(name: .customLong("input-format"), help: "The dump's format, when detection should not guess.")
    var inputFormat: DumpFormat?

    @Option(help: ArgumentHelp("For a Firecracker template: a dump of the CPU it applies to, which supplies the bits (x), registers and MSRs the template leaves unspecified.", valueName: "file"))
    var base: String?

    func validate() throws {
        if allCPUs, cpu != nil { throw ValidationError("--cpu and --all-cpus exclude each other") }
        if let cpu, cpu < 0 { throw ValidationError("--cpu must be a CPU number (0 or more), not \(cpu)") }
        if file == nil, inputFormat != nil { throw ValidationError("--input-format applies to a dump file; give one") }
        if file == nil, base != nil { throw ValidationError("--base applies to a Firecracker template file; give one") }
    }

    /// A short name for the source, for report headers.
    var sourceDescription: String {
        if let file { return file == "-" ? "standard input" : file }
        return source == .instruction ? "this machine (CPUID instruction)" : "this machine (/dev/cpu/N/cpuid)"
    }

    /// The dump file, read with --input-format and --base.
    func readDump(_ file: String) throws -> Dump {
        try DumpReader.read(path: file, format: inputFormat, base: try base.map { try DumpReader.read(path: $0).first })
    }

    /// The CPUs asked for: one (the chosen or first) unless --all-cpus.
    func loadDump() throws -> Dump {
        if let file {
            let dump = try readDump(file)
            if allCPUs { return dump }
            if let cpu { return Dump(cpus: [try dump.logicalCPU(cpu, in: file)], origin: dump.origin) }
            return Dump(cpus: Array(dump.cpus.prefix(1)), origin: dump.origin)
        }
        if allCPUs { return try LiveCPU.dump(cpus: nil, source: source) }
        return try LiveCPU.dump(cpus: [cpu ?? 0], source: source)
    }

    /// The one snapshot single-CPU commands look at.
    func loadSnapshot() throws -> Snapshot {
        if let file {
            let dump = try readDump(file)
            if let cpu { return try dump.logicalCPU(cpu, in: file).snapshot }
            return dump.first
        }
        // This machine: with the msr driver loaded, its feature MSRs come along, so that the bug rules and KVM's
        // model decide what ARCH_CAPABILITIES and the microcode revision decide (else those stay undecided).
        var snapshot = try LiveCPU.snapshot(cpu: cpu ?? 0, source: source)
        if DevMSRFile.isPresent(cpu: cpu ?? 0), case let .read(msrs, _) = HostFeatureMSRs.read(cpu: cpu ?? 0) {
            for msr in msrs { snapshot.setMSR(msr) }
        }
        return snapshot
    }
}
