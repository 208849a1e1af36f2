import CPUID

extension Run {
    /// cpu_set_bug_bits(): every rule of the release, in order; a rule whose outcome hangs on an MSR the
    /// snapshot lacks leaves its bit clear and is listed as undecided, with the MSR it needs.
    mutating func applyBugRules() {
        let rules = BugRules.rules(for: view.kernel)
        let inputs = BugInputs(snapshot: view.facts.snapshot, enumeratesArchCapabilities: has("ARCH_CAPABILITIES"))
        let evaluation = BugEvaluation(facts: view.facts, kernel: view.kernel.version, inputs: inputs,
                                       isHypervisor: has("HYPERVISOR"))
        view.bugInputs = inputs
        for (index, rule) in rules.enumerated() {
            let decision = evaluation.evaluate(rule.condition) { view.decision(of: $0) }
            switch decision {
            case .yes:
                set(rule.number, .bugRule(index))
            case .no:
                if !view.capabilities.contains(rule.number) { view.provenance[rule.number.value] = .bugRule(index) }
            case .unknown:
                view.provenance[rule.number.value] = .bugRule(index)
                view.undecidedRules.append(UndecidedRule(index: index, name: rule.name, isBug: rule.isBug))
            }
        }
    }
}

extension LinuxView {
    /// cpu_has() as the bug rules read it: unknown for a bit a rule left undecided.
    func decision(of number: FeatureNumber) -> Decision {
        if capabilities.contains(number) { return .yes }
        if !undecidedRules.isEmpty, case let .bugRule(index)? = provenance[number.value],
           undecidedRules.contains(where: { $0.index == index }) {
            return .unknown
        }
        return .no
    }

    /// The undecided rules with their reasons, built when asked (the text costs more than the derivation).
    func undecidedBugs(from rules: [UndecidedRule]) -> [UndecidedBug] {
        guard !rules.isEmpty, let inputs = bugInputs else { return [] }
        let resolved = BugRules.rules(for: kernel)
        let evaluation = BugEvaluation(facts: facts, kernel: kernel.version, inputs: inputs,
                                       isHypervisor: kernel.number(ofFeature: "HYPERVISOR").map(capabilities.contains) ?? false)
        return rules.map { undecided in
            let rule = resolved[undecided.index]
            let (explained, text) = evaluation.verdict(rule.condition) { decision(of: $0) }
            return UndecidedBug(name: rule.name, isBug: rule.isBug, procName: kernel.procName(at: rule.number),
                                missingMSRs: explained.missingMSRs.sorted(), reason: text)
        }
    }
}
