import CPUID

/// Computes what a Linux kernel makes of a CPUID snapshot, in the kernel's own order:
/// direct words → scattered rows → synthetic flags and vendor quirks that follow from CPUID →
/// cpu_set_bug_bits() (vulnerability tables, ARCH_CAPABILITIES, microcode) → leaf-guard filtering → boot-option clears, each clear taking its dependents along (cpuid-deps.c).
public enum LinuxDerivation {
    public static func derive(_ snapshot: Snapshot, kernel: KernelProfile,
                              options: BootOptions = .none) -> LinuxView {
        var run = Run(view: LinuxView(kernel: kernel, options: options, facts: CPUFacts(snapshot)))
        run.copyDirectWords()
        run.applyScatteredRows()
        run.applyRules(SyntheticRules.all)
        run.applyBugRules()
        run.filterLeafDependentFeatures()
        run.applyBootOptions()
        return run.view
    }
}

/// The step that decided one bit.
enum Provenance: Sendable {
    /// Copied with its whole word from a CPUID register.
    case direct(word: Int)
    /// The word's leaf lies above the maximum leaf, so the kernel never read it.
    case wordGuard(word: Int)
    /// A scattered row (index into kernel.scattered) set it.
    case scattered(row: Int)
    /// A scattered row was skipped by the max-leaf guard.
    case scatteredGuard(row: Int, max: UInt32)
    /// A synthetic rule set it (index into SyntheticRules.all).
    case synthesized(rule: Int)
    /// A quirk rule cleared it.
    case quirkCleared(rule: Int)
    /// Cleared because the feature it depends on (bit index) was cleared.
    case dependency(on: Int)
    /// filter_cpuid_features(): the leaf the feature needs lies above the maximum leaf.
    case leafFilter(leaf: UInt32)
    /// cpu_set_bug_bits() decided it (index into `BugRules.rules(for:)` of the view's kernel), set or not.
    case bugRule(Int)
    /// Cleared by a boot option (index into `LinuxView.bootLabels`); an index keeps this enum trivially copyable.
    case boot(Int)
}

struct Run {
    var view: LinuxView

    private var kernel: KernelProfile { view.kernel }
    private var facts: CPUFacts { view.facts }

    func has(_ name: String) -> Bool {
        guard let number = kernel.number(ofFeature: name) else { return false }
        return view.capabilities.contains(number)
    }

    mutating func set(_ name: String, _ provenance: Provenance) {
        guard let number = kernel.number(ofFeature: name) else { return }
        set(number, provenance)
    }

    mutating func set(_ number: FeatureNumber, _ provenance: Provenance) {
        view.capabilities.insert(number)
        view.provenance[number.value] = provenance
    }

    mutating func setBug(_ name: String, _ provenance: Provenance) {
        guard let number = kernel.number(ofBug: name) else { return }
        set(number, provenance)
    }

    /// clear_cpu_cap(): clears the feature and, to a fixpoint, everything that depends on it.
    mutating func clear(_ name: String, _ provenance: Provenance) {
        guard let number = kernel.number(ofFeature: name) else { return }
        clear(number, provenance)
    }

    mutating func clear(_ number: FeatureNumber, _ provenance: Provenance) {
        view.capabilities.remove(number)
        view.provenance[number.value] = provenance
        guard let row = kernel.featureRow(at: number) else { return }
        for (dependent, cause) in kernel.dependencyGraph.closure(clearing: [row.name]) {
            guard let cause, let dependentNumber = kernel.number(ofFeature: dependent),
                  let causeNumber = kernel.number(ofFeature: cause) else { continue }
            // A dependent that was never set stays unset; it is recorded only when this clear removes it.
            if view.capabilities.contains(dependentNumber) {
                view.capabilities.remove(dependentNumber)
                view.provenance[dependentNumber.value] = .dependency(on: causeNumber.value)
            }
        }
    }

    /// get_cpu_cap(): each CPUID-mirroring word, when its leaf is within range.
    mutating func copyDirectWords() {
        for source in CapabilityWordSource.table where source.word < kernel.capabilityWords {
            guard case let .cpuid(leaf, subleaf, register, vendors) = source.kind else { continue }
            if !vendors.isEmpty && !vendors.contains(facts.vendor) { continue }
            guard Self.wordIsRead(leaf: leaf, subleaf: subleaf, facts: facts) else {
                for bit in 0..<32 { view.provenance[source.word * 32 + bit] = .wordGuard(word: source.word) }
                continue
            }
            var value = facts.snapshot.value(leaf, subleaf, register)
            // Only bits the kernel defines are meaningful; undefined bits still land in the word, as in the kernel.
            view.capabilities[source.word] = value
            while value != 0 {
                let bit = value.trailingZeroBitCount
                view.provenance[source.word * 32 + bit] = .direct(word: source.word)
                value &= value - 1
            }
        }
    }

    /// The guards of get_cpu_cap() (and the vendor code for words 2 and 5).
    static func wordIsRead(leaf: UInt32, subleaf: UInt32, facts: CPUFacts) -> Bool {
        switch leaf {
        case 0x7 where subleaf == 1:
            return facts.maxBasic >= 7 && facts.snapshot.value(7, 0, .eax) >= 1
        case 0..<0x4000_0000:
            return facts.maxBasic >= leaf
        case 0x8000_0000..<0x8001_0000:
            return facts.maxExtended >= leaf
        default:
            // Vendor ranges (0x8086xxxx Transmeta, 0xC000xxxx Centaur/Zhaoxin): range max read from its base.
            return CPUFacts.rangeMax(facts.rangeMax(for: leaf), reaches: leaf)
        }
    }

    /// init_scattered_cpuid_features(): each row, behind the range guard.
    mutating func applyScatteredRows() {
        for (index, row) in kernel.scattered.enumerated() {
            guard let number = kernel.scatteredNumbers[index] else { continue }
            let max = facts.rangeMax(for: row.leaf)
            guard CPUFacts.rangeMax(max, reaches: row.leaf) else {
                if !view.capabilities.contains(number) {
                    view.provenance[number.value] = .scatteredGuard(row: index, max: max)
                }
                continue
            }
            if facts.bit(row.leaf, row.subleaf, row.register, row.bit) {
                set(number, .scattered(row: index))
            } else if !view.capabilities.contains(number), view.provenance[number.value] == nil {
                view.provenance[number.value] = .scattered(row: index)
            }
        }
    }

    mutating func applyRules(_ rules: [SyntheticRule]) {
        for (index, rule) in rules.enumerated() {
            guard rule.kernels.contains(kernel.version), rule.applies(self) else { continue }
            switch rule.action {
            case let .set(names): for name in names { set(name, .synthesized(rule: index)) }
            case let .clear(names): for name in names where has(name) { clear(name, .quirkCleared(rule: index)) }
            case let .setBug(names): for name in names { setBug(name, .synthesized(rule: index)) }
            }
        }
    }

    /// filter_cpuid_features(): MWAIT needs leaf 5, DCA leaf 9, XSAVE leaf 0xD.
    mutating func filterLeafDependentFeatures() {
        for (name, leaf) in [("MWAIT", UInt32(0x5)), ("DCA", 0x9), ("XSAVE", 0xD)] where has(name) && facts.maxBasic < leaf {
            clear(name, .leafFilter(leaf: leaf))
        }
    }

    /// Records the option's text once and returns the provenance that points at it.
    mutating func boot(_ label: String) -> Provenance {
        view.bootLabels.append(label)
        return .boot(view.bootLabels.count - 1)
    }

    /// cpu_parse_early_param() and the feature-clearing early params; applied after probing, as
    /// apply_forced_caps() does, so they win over everything CPUID said.
    mutating func applyBootOptions() {
        for option in view.options.switches {
            if has(option.clears) { clear(option.clears, boot(option.rawValue)) }
        }
        for name in view.options.clearFeatures where has(name) {
            clear(name, boot("clearing \(name)"))
        }
        for item in view.options.clearCPUID {
            if let value = Int(item) {
                guard value >= 0, value < kernel.capabilityWords * 32 else { continue }
                let number = FeatureNumber(value)
                if view.capabilities.contains(number) { clear(number, boot("clearcpuid=\(item)")) }
                continue
            }
            if let row = kernel.features.first(where: { kernel.procName(of: $0) == item }) {
                let number = FeatureNumber(word: row.word, bit: row.bit)
                if view.capabilities.contains(number) { clear(number, boot("clearcpuid=\(item)")) }
            } else if let row = kernel.bugs.first(where: { kernel.procName(of: $0) == item }),
                      let number = kernel.number(ofBug: row.name), view.capabilities.contains(number) {
                view.capabilities.remove(number)
                view.provenance[number.value] = boot("clearcpuid=\(item)")
            }
        }
    }
}
