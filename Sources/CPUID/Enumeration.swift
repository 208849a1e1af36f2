/// The enumeration rules as data: which subleaves each leaf has and how each leaf range is probed.
/// Every live source walks CPUID with `walk`, and the libcpuid reader uses the same rules to tell
/// real entries from padding, so all of them agree on what a complete snapshot holds.
public enum Enumeration {
    /// Subleaf rules, one row per indexed leaf (SDM vol. 2A CPUID; AMD APM vol. 3 appendix E).
    public static let subleafRules: [UInt32: SubleafEnumeration] = [
        0x0000_0004: .untilZero(.eax, high: 4, low: 0, firstChecked: 0, includesTerminator: true),   // cache type
        0x0000_0007: .throughCount(.eax, high: 31, low: 0),                                           // max subleaf
        0x0000_000B: .untilZero(.ecx, high: 15, low: 8, firstChecked: 0, includesTerminator: true),  // level type
        0x0000_000D: .xsaveComponents,                                                                // XCR0 | XSS
        0x0000_000F: .bitmap(.edx),                                                                   // RDT monitoring resources
        0x0000_0010: .bitmap(.ebx),                                                                   // RDT allocation resources
        0x0000_0012: .untilZero(.eax, high: 3, low: 0, firstChecked: 2, includesTerminator: true),   // EPC section type
        0x0000_0014: .throughCount(.eax, high: 31, low: 0),                                           // Intel PT
        0x0000_0017: .throughCount(.eax, high: 31, low: 0),                                           // SoC vendor
        0x0000_0018: .throughCount(.eax, high: 31, low: 0),                                           // TLB parameters
        0x0000_001B: .untilZero(.eax, high: 11, low: 0, firstChecked: 1, includesTerminator: true),  // PCONFIG targets
        0x0000_001D: .throughCount(.eax, high: 31, low: 0),                                           // AMX palettes
        0x0000_001E: .throughCount(.eax, high: 31, low: 0),                                           // AMX TMUL
        0x0000_001F: .untilZero(.ecx, high: 15, low: 8, firstChecked: 1, includesTerminator: true),  // V2 topology
        0x0000_0020: .throughCount(.eax, high: 31, low: 0),                                           // HRESET
        0x0000_0023: .bitmap(.eax),                                                                   // PerfMon extended
        0x0000_0024: .throughCount(.eax, high: 31, low: 0),                                           // AVX10
        0x8000_001D: .untilZero(.eax, high: 4, low: 0, firstChecked: 0, includesTerminator: false),  // AMD cache type
        0x8000_0020: .bitmap(.ebx),                                                                   // AMD PQoS
        0x8000_0026: .untilZero(.ecx, high: 15, low: 8, firstChecked: 0, includesTerminator: true),  // AMD topology
    ]

    /// The rule for one leaf; leaves without a row have subleaf 0 only.
    public static func rule(for leaf: UInt32) -> SubleafEnumeration { subleafRules[leaf] ?? .single }

    /// Walks every range and leaf, asking `query` for each (leaf, subleaf) the rules reach.
    public static func walk<E: Error>(_ query: (LeafKey) throws(E) -> Registers) throws(E) -> Snapshot {
        var entries: [CPUIDEntry] = []
        entries.reserveCapacity(128)
        func add(_ leaf: UInt32, _ first: Registers) throws(E) {
            let rule = rule(for: leaf)
            let indexed = SubleafRules.hasSubleaves(leaf)
            let found = try rule.subleaves { (subleaf: UInt32) throws(E) -> Registers? in
                subleaf == 0 ? first : try query(LeafKey(leaf, subleaf))
            }
            for (subleaf, registers) in found {
                entries.append(CPUIDEntry(key: LeafKey(leaf, subleaf), registers: registers, significantIndex: indexed))
            }
        }
        var hypervisorPresent = false
        for range in LeafRange.all {
            if range.isHypervisorWindow {
                guard hypervisorPresent else { continue }
                var base = range.base
                while base < LeafRange.hypervisorWindowEnd {
                    let probe = try query(LeafKey(base))
                    try add(base, probe)
                    var maximum = probe.eax
                    // KVM before Linux 2.6.36 answered 0 here while implementing base+1.
                    if maximum == 0, Snapshot.ascii([probe.ebx, probe.ecx, probe.edx]) == "KVMKVMKVM" { maximum = base + 1 }
                    let window = LeafRange(name: range.name, base: base, span: range.span)
                    guard window.accepts(maximum: maximum) else { break }
                    if maximum > base {
                        for leaf in (base + 1)...maximum { try add(leaf, try query(LeafKey(leaf))) }
                    }
                    base += LeafRange.hypervisorWindowStride
                }
                continue
            }
            let probe = try query(LeafKey(range.base))
            try add(range.base, probe)
            if range.base == 0, probe.eax >= 1 {
                let leaf1 = try query(LeafKey(1))
                hypervisorPresent = leaf1.ecx & (1 << 31) != 0
                try add(1, leaf1)
                guard range.accepts(maximum: probe.eax), probe.eax >= 2 else { continue }
                for leaf in 2...probe.eax { try add(leaf, try query(LeafKey(leaf))) }
                continue
            }
            guard range.accepts(maximum: probe.eax), probe.eax > range.base else { continue }
            for leaf in (range.base + 1)...probe.eax { try add(leaf, try query(LeafKey(leaf))) }
        }
        return Snapshot(entries)
    }
}
