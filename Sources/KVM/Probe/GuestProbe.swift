import CPUID
import Glibc

/// Why a guest probe did not produce a comparison.
public enum GuestProbeError: Error, Hashable, Sendable, CustomStringConvertible {
    case kvm(KVMError)
    /// KVM_SET_CPUID2 refused the table.
    case refused(KVMCPUIDRefusal)
    case assembler(RealModeAssemblerError)
    /// The guest did not halt in time; it was stopped.
    case timedOut(after: Duration, reportsReceived: Int)
    /// The guest exited for a reason the probe does not expect (a fault, an unexpected port, ...).
    case unexpectedExit(KVMExit, rip: UInt64?, reportsReceived: Int)
    /// The guest halted before reporting every probe.
    case incompleteReport(expected: Int, received: Int)

    public var description: String {
        switch self {
        case let .kvm(error): error.description
        case let .refused(refusal): refusal.description
        case let .assembler(error): "cannot build the probe guest: \(error)"
        case let .timedOut(after, received):
            "the probe guest did not halt within \(after) and was stopped (\(received) register reports received)"
        case let .unexpectedExit(exit, rip, received):
            "the probe guest stopped with \(exit)\(rip.map { " at RIP 0x" + String($0, radix: 16) } ?? "") "
                + "after \(received) register reports"
        case let .incompleteReport(expected, received):
            "the probe guest halted after \(received) of \(expected) register reports"
        }
    }
}

/// Everything one probe run learned: what KVM holds after KVM_SET_CPUID2, what the guest saw, and the verdict.
public struct GuestProbeResult: Hashable, Sendable {
    public var application: KVMCPUIDApplication
    public var targets: [ProbeTarget]
    /// What the guest reported, one entry per target, in target order.
    public var observed: [Registers]
    public var comparison: ProbeComparison
    /// KVM_RUN exits the run took (one per OUT, plus the HLT).
    public var exits: Int

    /// What the guest saw, as a snapshot of the table's entries (out-of-range probes left out).
    public var guestView: Snapshot {
        Snapshot(zip(targets, observed).compactMap { target, registers in
            guard target.kind == .tableEntry,
                  let entry = application.requested.entry(target.key.leaf, target.key.subleaf) else { return nil }
            return CPUIDEntry(key: target.key, registers: registers, significantIndex: entry.significantIndex)
        })
    }
}

/// Runs a tiny real-mode guest that executes CPUID for every entry of a table (plus out-of-range probes)
/// under KVM, after applying the table with KVM_SET_CPUID2, and classifies what it saw.
/// Every fd and mapping it creates is owned by a non-copyable handle and released on every path.
public struct GuestProbe: Sendable {
    public var table: Snapshot
    public var targets: [ProbeTarget]
    public var timeout: Duration

    public static let defaultTimeout: Duration = .seconds(2)

    /// Probes every table entry and the out-of-range inputs `ProbeTarget.outOfRange` picks.
    public init(table: Snapshot, timeout: Duration = defaultTimeout) {
        self.init(table: table, targets: ProbeTarget.all(for: table), timeout: timeout)
    }

    public init(table: Snapshot, targets: [ProbeTarget], timeout: Duration = defaultTimeout) {
        self.table = table
        self.targets = targets
        self.timeout = timeout
    }

    /// Opens /dev/kvm for one run.
    public func run(path: String = "/dev/kvm") throws(GuestProbeError) -> GuestProbeResult {
        let system: KVMSystem
        do { system = try KVMSystem(path: path) } catch { throw .kvm(error) }
        return try run(using: system)
    }

    /// One run on an open KVM: VM, vCPU, apply the table, run the guest, compare.
    public func run(using system: borrowing KVMSystem) throws(GuestProbeError) -> GuestProbeResult {
        let code: [UInt8]
        do { code = try CPUIDProbeProgram.assemble(targets.map(\.key)) } catch { throw .assembler(error) }
        var reports: [UInt32] = []
        reports.reserveCapacity(targets.count * 4)
        let (application, exits) = try Self.execute(code: code, table: table, timeout: timeout, using: system) { io in
            guard io.direction == .out, io.port == CPUIDProbeProgram.reportPort, io.size == 4, io.count == 1 else {
                return false
            }
            reports.append(io.value)
            return true
        }
        guard reports.count == targets.count * 4 else {
            throw .incompleteReport(expected: targets.count * 4, received: reports.count)
        }
        var observed: [Registers] = []
        observed.reserveCapacity(targets.count)
        for i in targets.indices {
            observed.append(Registers(eax: reports[4 * i], ebx: reports[4 * i + 1],
                                      ecx: reports[4 * i + 2], edx: reports[4 * i + 3]))
        }
        let comparison = ProbeComparison.compare(table: table, held: application.readBack,
                                                observations: Array(zip(targets, observed)))
        return GuestProbeResult(application: application, targets: targets, observed: observed,
                                comparison: comparison, exits: exits)
    }

    /// Runs `code` in real mode at `CPUIDProbeProgram.origin` in a fresh VM whose vCPU got `table`,
    /// feeding each I/O exit to `onIO` (false: unexpected) until HLT or the timeout.
    public static func execute(code: [UInt8], table: Snapshot, timeout: Duration,
                               using system: borrowing KVMSystem,
                               onIO: (KVMIOExit) -> Bool) throws(GuestProbeError) -> (KVMCPUIDApplication, Int) {
        let origin = Int(CPUIDProbeProgram.origin)
        guard !code.isEmpty, origin + code.count <= 0x1_0000 else {
            throw .assembler(.segmentOverflow(origin: CPUIDProbeProgram.origin, size: code.count))
        }
        let page = 4096
        let memorySize = (origin + code.count + page - 1) / page * page
        var vm = try kvm { () throws(KVMError) in try system.createVirtualMachine() }
        let memory = try kvm { () throws(KVMError) in
            try vm.addMemory(slot: 0, guestPhysicalAddress: 0, size: memorySize)
        }
        code.withUnsafeBytes { memory.baseAddress!.advanced(by: origin).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }

        let vcpu = try kvm { () throws(KVMError) in try vm.createVCPU(id: 0) }
        let application: KVMCPUIDApplication
        do {
            application = try vcpu.apply(table)
        } catch {
            switch error {
            case let .refused(refusal): throw .refused(refusal)
            case let .kvm(error): throw .kvm(error)
            }
        }
        do {
            var sregs = try vcpu.specialRegisters()
            sregs.makeRealMode()
            try vcpu.setSpecialRegisters(sregs)
            var regs = KVMRegisters()
            regs.rip = UInt64(origin)
            try vcpu.setRegisters(regs)
        } catch { throw .kvm(error) }

        let timer = try kvm { () throws(KVMError) in try vcpu.startTimer(timeout: timeout) }
        let outcome = runUntilHalt(vcpu, timer, timeout: timeout, onIO: onIO)
        // The timer goes first, explicitly, while the vCPU's kvm_run is certainly still mapped.
        timer.cancel()
        _ = vcpu.id
        return (application, try outcome.get())
    }

    /// KVM_RUN until HLT; the number of exits, or why the guest stopped otherwise.
    private static func runUntilHalt(_ vcpu: borrowing KVMVCPU, _ timer: borrowing KVMRunTimer, timeout: Duration,
                                     onIO: (KVMIOExit) -> Bool) -> Result<Int, GuestProbeError> {
        var exits = 0
        var reported = 0
        while true {
            let exit: KVMExit
            do {
                exit = try vcpu.run()
            } catch {
                if case .ioctlFailed(_, EINTR) = error {
                    if timer.hasFired { return .failure(.timedOut(after: timeout, reportsReceived: reported)) }
                    continue
                }
                return .failure(.kvm(error))
            }
            exits += 1
            switch exit {
            case .halt:
                return .success(exits)
            case let .io(io) where onIO(io):
                reported += 1
            case .interrupted:
                if timer.hasFired { return .failure(.timedOut(after: timeout, reportsReceived: reported)) }
            default:
                return .failure(.unexpectedExit(exit, rip: try? vcpu.registers().rip, reportsReceived: reported))
            }
        }
    }
}

/// Runs a KVM call and wraps its error for the probe; works for non-copyable results (the handles).
@inline(__always)
func kvm<T: ~Copyable>(_ body: () throws(KVMError) -> T) throws(GuestProbeError) -> T {
    do { return try body() } catch { throw .kvm(error) }
}
