import CPUID

/// Evaluates the bug rules of one release for one CPU with three values; the whitelist and blacklist
/// rows are matched once. `feature` answers cpu_has() (the derivation's state when the rules run).
struct BugEvaluation {
    let cpu: VulnerabilityCPU
    let tables: VulnerabilityTables.Release
    let inputs: BugInputs
    let whitelistRow: VulnerabilityRow?
    let blacklistRow: VulnerabilityRow?
    let isHypervisor: Bool

    init(facts: CPUFacts, kernel: KernelVersion, inputs: BugInputs, isHypervisor: Bool) {
        cpu = VulnerabilityCPU(facts)
        tables = VulnerabilityTables.release(kernel)
        self.inputs = inputs
        self.isHypervisor = isHypervisor
        whitelistRow = tables.firstMatch(in: tables.whitelist, cpu)
        blacklistRow = tables.firstMatch(in: tables.blacklist, cpu)
    }

    func evaluate(_ condition: BugCondition, feature: (FeatureNumber) -> Decision) -> Decision {
        switch condition {
        case let .whitelisted(flags):
            return Decision(whitelistRow.map { !$0.flags.isDisjoint(with: flags) } ?? false)
        case let .blacklisted(flags):
            return Decision(blacklistRow.map { !$0.flags.isDisjoint(with: flags) } ?? false)
        case let .archCap(bit):
            guard inputs.knowsArchCapabilities else { return .unknown }
            return Decision(bit.isSet(in: inputs.archCapabilities))
        case let .feature(_, number):
            guard let number else { return .no }
            return feature(number)
        case .setLater:
            return .no
        case let .vendor(vendor):
            return Decision(cpu.vendor == vendor)
        case .oldMicrocode:
            guard let row = tables.microcodeRow(cpu), !isHypervisor else { return .no }
            guard inputs.knowsMicrocode else { return .unknown }
            return Decision(inputs.microcode & (1 << 31) != 0 || inputs.microcode < row.revision)
        case let .not(inner):
            switch evaluate(inner, feature: feature) {
            case .yes: return .no
            case .no: return .yes
            case .unknown: return .unknown
            }
        case let .all(terms):
            var result = Decision.yes
            for term in terms {
                switch evaluate(term, feature: feature) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case let .any(terms):
            var result = Decision.no
            for term in terms {
                switch evaluate(term, feature: feature) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        }
    }
}
