/// Gathers entries per CPU while a reader scans, and enforces what every format shares:
/// no conflicting duplicate (leaf, subleaf) within a CPU and no CPU number twice.
/// Two policies keep real-world dumps readable without losing anything: a line repeated with
/// identical registers (AIDA64 does this) counts once, and a CPU header with no entries under it
/// (InstLatx64 dumps list CPUs they did not dump) adds no CPU.
struct CPUCollector {
    let file: String
    private(set) var cpus: [LogicalCPU] = []
    private var numbers: [Int: Int] = [:]
    private var entries: [CPUIDEntry] = []
    private var lines: [Int] = []
    private var number: Int?

    init(file: String) { self.file = file }

    var hasOpenCPU: Bool { number != nil }

    /// Starts a new CPU (closing the previous one).
    mutating func begin(cpu: Int, line: Int) throws(DumpError) {
        try close()
        if let first = numbers[cpu] {
            throw DumpError(file: file, line: line, column: 1, kind: .duplicateCPU(cpu, firstLine: first))
        }
        numbers[cpu] = line
        number = cpu
    }

    mutating func add(_ entry: CPUIDEntry, line: Int) throws(DumpError) {
        if number == nil { try begin(cpu: 0, line: line) }
        entries.append(entry)
        lines.append(line)
    }

    /// Closes the current CPU: checks for duplicates and stores its snapshot.
    mutating func close() throws(DumpError) {
        guard let cpu = number else { return }
        guard !entries.isEmpty else {
            number = nil
            return
        }
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
        cpus.append(LogicalCPU(number: cpu, snapshot: Snapshot(entries)))
        entries.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        number = nil
    }

    /// All CPUs; an error when the dump held none.
    mutating func finish() throws(DumpError) -> [LogicalCPU] {
        try close()
        guard !cpus.isEmpty else { throw DumpError(file: file, kind: .empty) }
        return cpus
    }
}
