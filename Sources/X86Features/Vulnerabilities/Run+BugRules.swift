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
                let (explained, text) = evaluation.verdict(rule.condition) { view.decision(of: $0) }
                view.undecided.append(UndecidedBug(name: rule.name, isBug: rule.isBug,
                                                   procName: view.kernel.procName(at: rule.number),
                                                   missingMSRs: explained.missingMSRs.sorted(), reason: text))
            }
        }
    }
}

extension LinuxView {
    /// cpu_has() as the bug rules read it: unknown for a bit a rule left undecided.
    func decision(of number: FeatureNumber) -> Decision {
        if capabilities.contains(number) { return .yes }
        if !undecided.isEmpty, case .bugRule? = provenance[number.value],
           undecided.contains(where: { !$0.isBug && kernel.number(ofFeature: $0.name) == number }) {
            return .unknown
        }
        return .no
    }
}
