/// Gathers entries and MSRs per CPU while a reader scans, and enforces what every format shares:
/// no conflicting duplicate (leaf, subleaf) or MSR within a CPU and no CPU section twice.
/// Policies that keep real-world dumps readable without losing anything: a line repeated with
/// identical registers (AIDA64 does this) counts once; a CPU header with no data under it (InstLatx64
/// dumps list CPUs they did not dump) adds no CPU; and a CPU may be returned to later (AIDA64 writes
/// every CPU's MSR section after all CPUID sections), its data merged with what it already had.
struct CPUCollector {
    let file: String
    private(set) var cpus: [LogicalCPU] = []
    /// Where each CPU number stands in `cpus`, once closed.
    private var closed: [Int: Int] = [:]
    /// The line of each CPU's section header (`begin`), for duplicate-section errors.
    private var headers: [Int: Int] = [:]
    private var entries: [CPUIDEntry] = []
    private var lines: [Int] = []
    private var msrs: [MSR] = []
    private var msrLines: [Int] = []
    private var number: Int?
    /// The highest CPU number seen so far, for readers that number sections themselves.
    private(set) var highest: Int?

    init(file: String) { self.file = file }

    var hasOpenCPU: Bool { number != nil }
    /// Whether nothing has been collected yet, closed or open.
    var isEmpty: Bool { cpus.isEmpty && entries.isEmpty && msrs.isEmpty }
    /// The CPU lines go to now.
    var openCPU: Int? { number }
    /// Whether this CPU has had a section or data already.
    func hasSeen(_ cpu: Int) -> Bool { headers[cpu] != nil || closed[cpu] != nil || number == cpu }
    /// The next CPU number nobody has used.
    var nextFreeNumber: Int { (highest ?? -1) + 1 }

    /// Starts a new CPU section (closing the previous one); a second section for the same CPU is an error.
    mutating func begin(cpu: Int, line: Int) throws(DumpError) {
        if let first = headers[cpu] {
            throw DumpError(file: file, line: line, column: 1, kind: .duplicateCPU(cpu, firstLine: first))
        }
        try close()
        headers[cpu] = line
        open(cpu)
    }

    /// Goes on with a CPU without opening a section of its own (an MSR section, a garbled header):
    /// whatever follows is merged into what that CPU already has.
    mutating func resume(cpu: Int, line: Int) throws(DumpError) {
        if headers[cpu] == nil { headers[cpu] = line }
        guard number != cpu else { return }
        try close()
        open(cpu)
    }

    private mutating func open(_ cpu: Int) {
        number = cpu
        highest = max(highest ?? cpu, cpu)
    }

    mutating func add(_ entry: CPUIDEntry, line: Int) throws(DumpError) {
        if number == nil { try begin(cpu: nextFreeNumber, line: line) }
        entries.append(entry)
        lines.append(line)
    }

    mutating func add(_ msr: MSR, line: Int) throws(DumpError) {
        if number == nil { try resume(cpu: highest ?? 0, line: line) }
        msrs.append(msr)
        msrLines.append(line)
    }

    /// Closes the current CPU: checks for conflicts and stores (or merges) its snapshot.
    mutating func close() throws(DumpError) {
        guard let cpu = number else { return }
        number = nil
        defer {
            entries.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            msrs.removeAll(keepingCapacity: true)
            msrLines.removeAll(keepingCapacity: true)
        }
        guard !entries.isEmpty || !msrs.isEmpty else { return }
        try checkConflicts(cpu)
        let earlier = closed[cpu].map { cpus[$0].snapshot }
        if let earlier { try checkConflicts(cpu, against: earlier) }
        var snapshot = Snapshot(entries, msrs: msrs)
        if let earlier {
            snapshot = Snapshot(earlier.entries + snapshot.entries, msrs: earlier.msrs + snapshot.msrs)
        }
        if let slot = closed[cpu] {
            cpus[slot].snapshot = snapshot
        } else {
            closed[cpu] = cpus.count
            cpus.append(LogicalCPU(number: cpu, snapshot: snapshot))
        }
    }

    /// Two lines for the same key with different registers (or the same MSR with different values).
    private func checkConflicts(_ cpu: Int) throws(DumpError) {
        var ascending = true
        for i in 1..<max(entries.count, 1) where !(entries[i - 1].key < entries[i].key) {
            ascending = false
            break
        }
        if !ascending {
            let order = entries.indices.sorted {
                entries[$0].key != entries[$1].key ? entries[$0].key < entries[$1].key : lines[$0] < lines[$1]
            }
            for k in 1..<order.count where entries[order[k - 1]].key == entries[order[k]].key
                && entries[order[k - 1]].registers != entries[order[k]].registers {
                let later = order[k]
                throw DumpError(file: file, line: lines[later], column: 1,
                                kind: .duplicateEntry(entries[later].key, cpu: cpu, firstLine: lines[order[k - 1]]))
            }
        }
        guard msrs.count > 1 else { return }
        let order = msrs.indices.sorted { msrs[$0].index != msrs[$1].index ? msrs[$0].index < msrs[$1].index : msrLines[$0] < msrLines[$1] }
        for k in 1..<order.count where msrs[order[k - 1]].index == msrs[order[k]].index
            && msrs[order[k - 1]].value != msrs[order[k]].value {
            throw DumpError(file: file, line: msrLines[order[k]], column: 1,
                            kind: .duplicateMSR(msrs[order[k]].index, cpu: cpu, firstLine: msrLines[order[k - 1]]))
        }
    }

    /// What a later stretch of a CPU says must agree with what its earlier stretches said.
    private func checkConflicts(_ cpu: Int, against earlier: Snapshot) throws(DumpError) {
        let first = headers[cpu] ?? 0
        for (i, entry) in entries.enumerated() {
            if let old = earlier.entry(entry.key.leaf, entry.key.subleaf), old.registers != entry.registers {
                throw DumpError(file: file, line: lines[i], column: 1,
                                kind: .duplicateEntry(entry.key, cpu: cpu, firstLine: first))
            }
        }
        for (i, msr) in msrs.enumerated() {
            if let old = earlier.msr(msr.index), old != msr.value {
                throw DumpError(file: file, line: msrLines[i], column: 1,
                                kind: .duplicateMSR(msr.index, cpu: cpu, firstLine: first))
            }
        }
    }

    /// All CPUs; an error when the dump held none.
    mutating func finish() throws(DumpError) -> [LogicalCPU] {
        try close()
        guard !cpus.isEmpty else { throw DumpError(file: file, kind: .empty) }
        return cpus
    }
}
