/// Everything CPUID answered on one logical CPU, whatever produced it: the instruction,
/// /dev/cpu/N/cpuid, a dump file, KVM's supported table, or a guest probe.
///
/// Entries are kept sorted by (leaf, subleaf) so that every writer and comparison sees one order.
/// A snapshot may also hold the model-specific registers its source sampled, sorted by index.
public struct Snapshot: Hashable, Sendable {
    public private(set) var entries: [CPUIDEntry]
    /// The MSRs sampled on this CPU; an index that is absent was not sampled.
    public private(set) var msrs: [MSR] = []

    /// Builds a snapshot; when two entries share a key, the later one wins.
    /// Readers that must reject duplicates check for them before calling this.
    public init<S: Sequence>(_ entries: S) where S.Element == CPUIDEntry {
        var sorted = Array(entries)
        var isSorted = true
        if sorted.count > 1 {
            for i in 1..<sorted.count where !(sorted[i - 1].key < sorted[i].key) {
                isSorted = false
                break
            }
        }
        if !isSorted {
            // Stable order keeps "later wins" meaningful after sorting.
            sorted = sorted.enumerated()
                .sorted { $0.element.key != $1.element.key ? $0.element.key < $1.element.key : $0.offset < $1.offset }
                .map(\.element)
            var unique: [CPUIDEntry] = []
            unique.reserveCapacity(sorted.count)
            for entry in sorted {
                if let last = unique.last, last.key == entry.key {
                    unique[unique.count - 1] = entry
                } else {
                    unique.append(entry)
                }
            }
            sorted = unique
        }
        self.entries = sorted
    }

    /// Builds a snapshot with MSRs; as with entries, a later MSR with the same index wins.
    public init<S: Sequence, M: Sequence>(_ entries: S, msrs: M) where S.Element == CPUIDEntry, M.Element == MSR {
        self.init(entries)
        for msr in msrs { setMSR(msr) }
    }

    public init() { self.entries = [] }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var keys: [LeafKey] { entries.map(\.key) }

    /// The first position whose key is not below `key` (where `key` is, or would be inserted), by binary search.
    private func lowerBound(_ key: LeafKey) -> Int { Self.lowerBound(entries) { $0.key < key } }

    /// The first position in a sorted array whose element is not below the sought one; the one binary search
    /// behind both entry and MSR lookups.
    private static func lowerBound<Element>(_ sorted: [Element], isBelow: (Element) -> Bool) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if isBelow(sorted[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Index of the entry with exactly this key.
    private func index(of key: LeafKey) -> Int? {
        let i = lowerBound(key)
        return i < entries.count && entries[i].key == key ? i : nil
    }

    /// The entry stored under exactly this key.
    public func entry(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> CPUIDEntry? {
        index(of: LeafKey(leaf, subleaf)).map { entries[$0] }
    }

    /// What CPUID would answer for these inputs, as far as the snapshot knows: the exact entry,
    /// or the leaf's subleaf-0 entry when that leaf ignores ECX. `nil` when the snapshot has neither.
    public func registers(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> Registers? {
        if let i = index(of: LeafKey(leaf, subleaf)) { return entries[i].registers }
        if subleaf != 0, let i = index(of: LeafKey(leaf, 0)), !entries[i].significantIndex {
            return entries[i].registers
        }
        return nil
    }

    /// One register's value; 0 when the snapshot has no such entry (what a reader of a dump assumes).
    public func value(_ leaf: UInt32, _ subleaf: UInt32 = 0, _ register: Register) -> UInt32 {
        registers(leaf, subleaf)?[register] ?? 0
    }

    /// Reads a bit field by name-free coordinates.
    public func read(_ field: CPUIDField) -> UInt32 {
        field.extract(from: value(field.leaf, field.subleaf, field.register))
    }

    /// Whether a single-bit (or any-bit) field is nonzero.
    public func isSet(_ field: CPUIDField) -> Bool { read(field) != 0 }

    /// All entries of one leaf, in subleaf order.
    public func subleaves(of leaf: UInt32) -> ArraySlice<CPUIDEntry> {
        let low = lowerBound(LeafKey(leaf, 0))
        var end = low
        while end < entries.count, entries[end].key.leaf == leaf { end += 1 }
        return entries[low..<end]
    }

    /// Inserts or replaces an entry.
    public mutating func set(_ entry: CPUIDEntry) {
        let i = lowerBound(entry.key)
        if i < entries.count, entries[i].key == entry.key {
            entries[i] = entry
        } else {
            entries.insert(entry, at: i)
        }
    }

    /// Changes one register of an existing entry, or creates the entry with the other registers zero.
    public mutating func set(_ leaf: UInt32, _ subleaf: UInt32 = 0, _ register: Register, to value: UInt32) {
        var entry = self.entry(leaf, subleaf)
            ?? CPUIDEntry(key: LeafKey(leaf, subleaf), registers: .zero,
                          significantIndex: SubleafRules.hasSubleaves(leaf))
        entry.registers[register] = value
        set(entry)
    }

    /// Removes the entry under exactly this key, if any.
    @discardableResult
    public mutating func remove(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> CPUIDEntry? {
        guard let i = index(of: LeafKey(leaf, subleaf)) else { return nil }
        return entries.remove(at: i)
    }

    /// What reading this MSR gave; nil when the snapshot did not sample it.
    public func msr(_ index: UInt32) -> MSRValue? {
        let i = msrLowerBound(index)
        return i < msrs.count && msrs[i].index == index ? msrs[i].value : nil
    }

    /// Records an MSR, replacing an earlier reading of the same index.
    public mutating func setMSR(_ msr: MSR) {
        let i = msrLowerBound(msr.index)
        if i < msrs.count, msrs[i].index == msr.index {
            msrs[i] = msr
        } else {
            msrs.insert(msr, at: i)
        }
    }

    /// Removes every MSR (for formats and consumers that hold CPUID only).
    public mutating func removeMSRs() { msrs.removeAll() }

    private func msrLowerBound(_ index: UInt32) -> Int { Self.lowerBound(msrs) { $0.index < index } }

    /// Keeps only the entries for which `keep` is true.
    public mutating func removeAll(where remove: (CPUIDEntry) -> Bool) {
        entries.removeAll(where: remove)
    }
}
