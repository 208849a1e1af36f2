/// A derived /proc/cpuinfo view set against a real one: every flag on one side only, classified as
/// set or cleared by the kernel from outside CPUID (with the catalogue's reason), or unexplained.
public struct FlagComparison: Sendable {
    public struct Difference: Hashable, Sendable {
        public enum Side: String, Hashable, Sendable {
            /// Printed by the kernel, not derived by vcpuid.
            case onlyInProc = "only in /proc/cpuinfo"
            /// Derived by vcpuid, not printed by the kernel.
            case onlyDerived = "only derived"
        }

        public enum Verdict: Hashable, Sendable {
            case outsideCPUID(SyntheticReason)
            /// The rules need an MSR the snapshot does not carry (the reason names it).
            case undecided(String)
            case unexplained(String)
        }

        public var name: String
        public var isBug: Bool
        public var side: Side
        public var macro: String?
        public var verdict: Verdict

        public var isExplained: Bool {
            switch verdict {
            case .outsideCPUID, .undecided: return true
            case .unexplained: return false
            }
        }
    }

    public var matching: Int
    public var differences: [Difference]

    public var unexplained: [Difference] { differences.filter { !$0.isExplained } }

    public init(view: LinuxView, procFlags: [String], procBugs: [String]) {
        var differences: [Difference] = []
        let derivedFlags = view.procFlags
        let derivedBugs = view.procBugs
        let procFlagSet = Set(procFlags)
        let derivedFlagSet = Set(derivedFlags)
        matching = procFlagSet.intersection(derivedFlagSet).count
        for name in procFlags where !derivedFlagSet.contains(name) {
            differences.append(Self.classify(name, isBug: false, side: .onlyInProc, view: view))
        }
        for name in derivedFlags where !procFlagSet.contains(name) {
            differences.append(Self.classify(name, isBug: false, side: .onlyDerived, view: view))
        }
        let procBugSet = Set(procBugs)
        let derivedBugSet = Set(derivedBugs)
        matching += procBugSet.intersection(derivedBugSet).count
        for name in procBugs where !derivedBugSet.contains(name) {
            differences.append(Self.classify(name, isBug: true, side: .onlyInProc, view: view))
        }
        for name in derivedBugs where !procBugSet.contains(name) {
            differences.append(Self.classify(name, isBug: true, side: .onlyDerived, view: view))
        }
        self.differences = differences
    }

    private static func classify(_ name: String, isBug: Bool, side: Difference.Side, view: LinuxView) -> Difference {
        let kernel = view.kernel
        let rows = isBug ? kernel.bugs : kernel.features
        guard let row = rows.first(where: { kernel.procName(of: $0) == name }) else {
            return Difference(name: name, isBug: isBug, side: side, macro: nil,
                              verdict: .unexplained("Linux \(kernel.version) has no \(isBug ? "bug" : "flag") named \(name); is the kernel version right?"))
        }
        let feature = Feature(kind: isBug ? .bug : .feature, name: row.name, qemuName: nil, addedIn: .atOrBefore(kernel.version))
        let macro = feature.macro
        if view.undecidedRules.contains(where: { $0.name == row.name && $0.isBug == isBug }),
           let undecided = view.undecided.first(where: { $0.name == row.name && $0.isBug == isBug }) {
            return Difference(name: name, isBug: isBug, side: side, macro: macro, verdict: .undecided(undecided.reason))
        }
        if let reason = outsideReason(feature, kernel: kernel, side: side, facts: view.facts) {
            return Difference(name: name, isBug: isBug, side: side, macro: macro, verdict: .outsideCPUID(reason))
        }
        let verdict = view.reason(for: feature)
        return Difference(name: name, isBug: isBug, side: side, macro: macro,
                          verdict: .unexplained("vcpuid: \(verdict.description)"))
    }

    /// The catalogue's reason when the kernel decides this bit from outside CPUID, else nil.
    static func outsideReason(_ feature: Feature, kernel: KernelProfile, side: Difference.Side,
                              facts: CPUFacts) -> SyntheticReason? {
        if let forced = feature.kernelOverride, !forced.category.isDerivableFromCPUID { return forced }
        switch feature.origin(in: kernel) {
        case let .synthetic(reason)? where !reason.category.isDerivableFromCPUID:
            return reason
        case .bug?:
            // cpu_set_bug_bits() is derived in full (BugRules): a difference on its bugs is unexplained.
            guard !BugRules.names.contains(feature.name), let reason = BugReasons.outside[feature.name],
                  !BugReasons.derivedForAllVendors.contains(feature.name) else { return nil }
            return reason.category.isDerivableFromCPUID ? nil : reason
        default:
            return nil
        }
    }
}
