import CPUID

/// What one kernel makes of one CPUID snapshot: the capability words (features then bugs) and, for
/// every bit, the step that decided it, so that any answer can be explained.
public struct LinuxView: Sendable {
    public let kernel: KernelProfile
    public let options: BootOptions
    /// x86_capability: NCAPINTS feature words followed by NBUGINTS bug words.
    public internal(set) var capabilities: CapabilityWords
    /// The deciding step per capability-array bit (index = word*32+bit); nil when nothing touched it.
    var provenance: [Provenance?]
    /// The snapshot's facts the explanations quote.
    let facts: CPUFacts
    /// The boot options that cleared something, as written; `Provenance.boot` indexes this.
    var bootLabels: [String] = []
    /// What cpu_set_bug_bits() read besides CPUID (set when the bug rules ran).
    var bugInputs: BugInputs?
    /// The rules left undecided for lack of an MSR, in rule order; their bits are clear.
    var undecidedRules: [UndecidedRule] = []

    init(kernel: KernelProfile, options: BootOptions, facts: CPUFacts) {
        self.kernel = kernel
        self.options = options
        self.facts = facts
        capabilities = CapabilityWords(count: kernel.totalWords)
        provenance = Array(repeating: nil, count: kernel.totalWords * 32)
    }

    /// Whether the feature is set; accepts macro, /proc and QEMU names like `FeatureCatalogue.lookup`.
    public func has(_ macro: String) -> Bool {
        guard let number = number(of: macro) else { return false }
        return capabilities.contains(number)
    }

    public func has(_ feature: Feature) -> Bool {
        guard let number = feature.number(in: kernel) else { return false }
        return capabilities.contains(number)
    }

    /// The /proc/cpuinfo `flags` line's names, in feature-number order.
    public var procFlags: [String] {
        capabilities.members.compactMap { number in
            number.word < kernel.capabilityWords ? kernel.procName(at: number) : nil
        }
    }

    /// The /proc/cpuinfo `bugs` line's names, in bug-number order; bugs in `undecidedBugs` are left out.
    public var procBugs: [String] {
        capabilities.members.compactMap { number in
            number.word >= kernel.capabilityWords ? kernel.procName(at: number) : nil
        }
    }

    /// Bugs (and IBRS_ENHANCED) the rules could not decide for lack of an MSR, in rule order, with reasons;
    /// their bits are clear. Built on each call: ask `hasUndecided` or `undecidedNames` when names suffice.
    public var undecided: [UndecidedBug] { undecidedBugs(from: undecidedRules) }

    /// The bugs whose outcome needs an MSR the snapshot does not carry (ARCH_CAPABILITIES, microcode).
    public var undecidedBugs: [UndecidedBug] { undecidedBugs(from: undecidedRules.filter(\.isBug)) }

    /// Features cpu_set_bug_bits() sets (IBRS_ENHANCED) that the snapshot's MSRs cannot decide.
    public var undecidedFeatures: [UndecidedBug] { undecidedBugs(from: undecidedRules.filter { !$0.isBug }) }

    /// Whether any rule was left undecided (cheap).
    public var hasUndecided: Bool { !undecidedRules.isEmpty }

    /// The macro suffixes of the undecided bugs and features, in rule order (cheap).
    public var undecidedNames: [String] { undecidedRules.map(\.name) }

    /// Whether the kernel sets bug `name` (`MDS`, `X86_BUG_MDS` or `mds`): nil when undecided for lack of
    /// an MSR, or when the kernel has no such bug.
    public func bugDecision(_ name: String) -> Bool? {
        var key = name.uppercased()
        for prefix in ["X86_BUG_", "BUG_"] where key.hasPrefix(prefix) { key.removeFirst(prefix.count) }
        let number = kernel.number(ofBug: key)
            ?? kernel.bugs.first { kernel.procName(of: $0) == name }.flatMap { kernel.number(ofBug: $0.name) }
        guard let number else { return nil }
        if undecidedRules.contains(where: { $0.isBug && kernel.number(ofBug: $0.name) == number }) { return nil }
        return capabilities.contains(number)
    }

    /// Every set feature's macro name, in number order.
    public var setFeatures: [String] {
        capabilities.members.compactMap { number in
            number.word < kernel.capabilityWords ? kernel.featureRow(at: number)?.name : nil
        }
    }

    /// Why the feature is set or not, e.g. "absent: CPUID.(EAX=12H,ECX=0):EAX[11] = 0".
    public func reason(for macro: String) -> FeatureVerdict? {
        guard let feature = FeatureCatalogue.shared.lookup(macro) else { return nil }
        return reason(for: feature)
    }

    public func reason(for feature: Feature) -> FeatureVerdict {
        guard let number = feature.number(in: kernel) else {
            return FeatureVerdict(isSet: false, stage: .notInKernel,
                                  lines: ["\(feature.macro) does not exist in Linux \(kernel.version)"])
        }
        let isSet = capabilities.contains(number)
        let steps = explain(number, feature: feature)
        return FeatureVerdict(isSet: isSet, stage: steps.stage, lines: steps.lines)
    }

    private func number(of macro: String) -> FeatureNumber? {
        var name = macro.uppercased()
        if name.hasPrefix("X86_FEATURE_") { name.removeFirst("X86_FEATURE_".count) }
        if let number = kernel.number(ofFeature: name) { return number }
        if name.hasPrefix("X86_BUG_") { return kernel.number(ofBug: String(name.dropFirst("X86_BUG_".count))) }
        if name.hasPrefix("BUG_") { return kernel.number(ofBug: String(name.dropFirst("BUG_".count))) }
        return FeatureCatalogue.shared.lookup(macro)?.number(in: kernel)
    }
}

/// The answer to "is it set, and why", as a stage and lines of explanation (outermost cause last).
public struct FeatureVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The step of the derivation that decided the bit.
    public enum Stage: String, Hashable, Sendable {
        case cpuid, scattered, maxLeafGuard, synthesized, quirk, dependency, bootOption, outsideCPUID, notInKernel
        /// cpu_set_bug_bits(): vulnerability tables, ARCH_CAPABILITIES, microcode.
        case vulnerability
        /// cpu_set_bug_bits() needs an MSR the snapshot does not carry.
        case undecided
    }

    public var isSet: Bool
    public var stage: Stage
    public var lines: [String]

    public var description: String { lines.joined(separator: "; ") }
}
