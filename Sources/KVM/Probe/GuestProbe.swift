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
    /// KVM_SET_MSRS wrote fewer MSRs than asked: it refused `refused` (the count is KVM's answer).
    case msrRefused(MSR, written: Int, of: Int)

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
        case let .msrRefused(msr, written, count):
            "KVM_SET_MSRS wrote \(written) of \(count) MSRs: KVM refused MSR 0x\(String(msr.index, radix: 16)) = \(msr.value)"
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
    /// The MSRs written with KVM_SET_MSRS, and what KVM_GET_MSRS on the vCPU read back before the run.
    public var msrWrites: [MSR] = []
    public var msrReadBack: [MSR] = []
    /// What the guest's RDMSR gave for each probed MSR, in probe order (`.faulted`: it took #GP).
    public var msrObserved: [MSR] = []

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
    /// Feature MSRs to write with KVM_SET_MSRS after KVM_SET_CPUID2 and before the first KVM_RUN.
    public var msrWrites: [MSR] = []
    /// MSRs the guest reads with RDMSR after its CPUID probes.
    public var msrReads: [UInt32] = []

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
        var assembler = RealModeAssembler(origin: CPUIDProbeProgram.origin)
        CPUIDProbeProgram.emit(targets.map(\.key), into: &assembler, port: CPUIDProbeProgram.reportPort)
        var handler: UInt16?
        if msrReads.isEmpty {
            assembler.hlt()
        } else {
            let offset = MSRProbeProgram.append(msrReads, to: &assembler, port: CPUIDProbeProgram.reportPort)
            handler = CPUIDProbeProgram.origin + UInt16(offset)
        }
        let code: [UInt8]
        do { code = try assembler.assemble() } catch { throw .assembler(error) }
        var reports: [UInt32] = []
        reports.reserveCapacity(targets.count * 4 + msrReads.count * 2)
        var faultsBeforeReport: Set<Int> = []
        let expected = targets.count * 4 + msrReads.count * 2
        let (application, exits, readBack) = try Self.execute(code: code, table: table, msrWrites: msrWrites,
                                                              faultHandler: handler, timeout: timeout, using: system) { io in
            if io.direction == .out, io.port == UInt16(MSRProbeProgram.faultPort), io.size == 1, handler != nil {
                faultsBeforeReport.insert(reports.count)
                return true
            }
            guard io.direction == .out, io.port == CPUIDProbeProgram.reportPort, io.size == 4, io.count == 1 else {
                return false
            }
            reports.append(io.value)
            return true
        }
        guard reports.count == expected else {
            throw .incompleteReport(expected: expected, received: reports.count)
        }
        var observed: [Registers] = []
        observed.reserveCapacity(targets.count)
        for i in targets.indices {
            observed.append(Registers(eax: reports[4 * i], ebx: reports[4 * i + 1],
                                      ecx: reports[4 * i + 2], edx: reports[4 * i + 3]))
        }
        let comparison = ProbeComparison.compare(table: table, held: application.readBack,
                                                observations: Array(zip(targets, observed)))
        var result = GuestProbeResult(application: application, targets: targets, observed: observed,
                                      comparison: comparison, exits: exits)
        result.msrWrites = msrWrites
        result.msrReadBack = readBack
        let first = targets.count * 4
        result.msrObserved = msrReads.enumerated().map { k, index in
            let at = first + 2 * k
            if faultsBeforeReport.contains(at) { return MSR(index, .faulted) }
            return MSR(index, .value(UInt64(reports[at]) | UInt64(reports[at + 1]) << 32))
        }
        return result
    }

    /// Runs `code` in real mode at `CPUIDProbeProgram.origin` in a fresh VM whose vCPU got `table`,
    /// feeding each I/O exit to `onIO` (false: unexpected) until HLT or the timeout.
    public static func execute(code: [UInt8], table: Snapshot, timeout: Duration,
                               using system: borrowing KVMSystem,
                               onIO: (KVMIOExit) -> Bool) throws(GuestProbeError) -> (KVMCPUIDApplication, Int) {
        let (application, exits, _) = try execute(code: code, table: table, msrWrites: [], faultHandler: nil,
                                                  timeout: timeout, using: system, onIO: onIO)
        return (application, exits)
    }

    /// As above, writing `msrWrites` with KVM_SET_MSRS after KVM_SET_CPUID2 (a short count is an error naming
    /// the refused MSR) and reading them back, and pointing the #GP vector at `faultHandler` when given.
    public static func execute(code: [UInt8], table: Snapshot, msrWrites: [MSR], faultHandler: UInt16?,
                               timeout: Duration, using system: borrowing KVMSystem,
                               onIO: (KVMIOExit) -> Bool) throws(GuestProbeError) -> (KVMCPUIDApplication, Int, [MSR]) {
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
        if let faultHandler { MSRProbeProgram.installHandler(at: faultHandler, memory: memory.baseAddress!) }

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
        var readBack: [MSR] = []
        if !msrWrites.isEmpty {
            let pairs = msrWrites.map { (index: $0.index, value: $0.value.bits ?? 0) }
            let written = try kvm { () throws(KVMError) in try vcpu.setMSRs(pairs) }
            guard written == pairs.count else {
                throw .msrRefused(msrWrites[written], written: written, of: pairs.count)
            }
            let values = try kvm { () throws(KVMError) in try vcpu.msrs(pairs.map(\.index)) }
            readBack = zip(pairs, values).map { MSR($0.index, .value($1)) }
        }
        do {
            var sregs = try vcpu.specialRegisters()
            sregs.makeRealMode()
            try vcpu.setSpecialRegisters(sregs)
            var regs = KVMRegisters()
            regs.rip = UInt64(origin)
            regs.rsp = UInt64(MSRProbeProgram.stackTop)
            try vcpu.setRegisters(regs)
        } catch { throw .kvm(error) }

        let timer = try kvm { () throws(KVMError) in try vcpu.startTimer(timeout: timeout) }
        let outcome = runUntilHalt(vcpu, timer, timeout: timeout, onIO: onIO)
        // The timer goes first, explicitly, while the vCPU's kvm_run is certainly still mapped.
        timer.cancel()
        _ = vcpu.id
        return (application, try outcome.get(), readBack)
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
