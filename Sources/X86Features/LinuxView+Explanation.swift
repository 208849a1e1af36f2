import CPUID

extension LinuxView {
    /// The chain of reasons behind one bit, innermost first.
    func explain(_ number: FeatureNumber, feature: Feature) -> (stage: FeatureVerdict.Stage, lines: [String]) {
        let isSet = capabilities.contains(number)
        let state = isSet ? "set" : "absent"
        guard let provenance = provenance[number.value] else {
            return unexplained(number, feature: feature, isSet: isSet)
        }
        switch provenance {
        case let .direct(word):
            let field = CapabilityWordSource.of(word: word)?.field(bit: number.bit)
            return (.cpuid, ["set: \(field.map(\.description) ?? "word \(word) bit \(number.bit)") = 1"])
        case let .wordGuard(word):
            let source = CapabilityWordSource.of(word: word)
            let leaf = source?.register?.leaf ?? 0
            let max = leaf >= 0x8000_0000 ? facts.maxExtended : facts.maxBasic
            return (.maxLeafGuard, ["guard: max leaf \(Hex.byte(max)) < \(Hex.byte(leaf)); word \(word) is never read"])
        case let .scattered(row):
            let r = kernel.scattered[row]
            return (.scattered, ["\(state): \(r.field) = \(isSet ? 1 : 0) (scattered row)"])
        case let .scatteredGuard(row, max):
            let r = kernel.scattered[row]
            if max < r.leaf {
                return (.maxLeafGuard, ["guard: max leaf \(Hex.byte(max)) < \(Hex.byte(r.leaf)), so \(r.field) is not read"])
            }
            return (.maxLeafGuard, ["guard: max leaf \(Hex.byte(max)) lies beyond \(Hex.byte(r.leaf | 0xffff)) (unimplemented range), so \(r.field) is not read"])
        case let .synthesized(rule):
            return (.synthesized, ["set by the kernel: \(SyntheticRules.all[rule].why)"])
        case let .quirkCleared(rule):
            return (.quirk, ["cleared by a vendor quirk: \(SyntheticRules.all[rule].why)"])
        case let .leafFilter(leaf):
            return (.maxLeafGuard, ["cleared: needs leaf \(Hex.byte(leaf)) but max leaf is \(Hex.byte(facts.maxBasic))"])
        case let .boot(option):
            return (.bootOption, ["cleared by \(bootLabels[option])"])
        case let .bugRule(index):
            return explainBugRule(index)
        case .dependency:
            return (.dependency, [dependencyChain(from: number)])
        }
    }

    /// The rule's verdict: "not affected: ARCH_CAPABILITIES.MDS_NO = 1 (MSR 0x10A bit 5)".
    private func explainBugRule(_ index: Int) -> (stage: FeatureVerdict.Stage, lines: [String]) {
        let rule = BugRules.rules(for: kernel)[index]
        guard let inputs = bugInputs else { return (.vulnerability, []) }
        let evaluation = BugEvaluation(facts: facts, kernel: kernel.version, inputs: inputs,
                                       isHypervisor: kernel.number(ofFeature: "HYPERVISOR").map(capabilities.contains) ?? false)
        let (explained, text) = evaluation.verdict(rule.condition) { decision(of: $0) }
        return (explained.decision == .unknown ? .undecided : .vulnerability, [text])
    }

    /// "cleared: depends on SGX1, which depends on SGX, cleared by nosgx".
    private func dependencyChain(from number: FeatureNumber) -> String {
        var names: [String] = []
        var current = number
        var ending = ""
        var guardCount = 0
        while guardCount < 64, case let .dependency(on)? = provenance[current.value] {
            guardCount += 1
            current = FeatureNumber(on)
            names.append(kernel.featureRow(at: current)?.name ?? current.description)
            switch provenance[current.value] {
            case let .boot(option)?: ending = ", cleared by \(bootLabels[option])"
            case let .quirkCleared(rule)?: ending = ", cleared by a vendor quirk (\(SyntheticRules.all[rule].why))"
            case let .leafFilter(leaf)?: ending = ", cleared because max leaf \(Hex.byte(facts.maxBasic)) < \(Hex.byte(leaf))"
            default: break
            }
        }
        guard let first = names.first else { return "cleared" }
        var text = "cleared: depends on \(first)"
        for name in names.dropFirst() { text += ", which depends on \(name)" }
        return text + ending
    }

    private func unexplained(_ number: FeatureNumber, feature: Feature, isSet: Bool) -> (FeatureVerdict.Stage, [String]) {
        if feature.kind == .bug {
            if BugRules.names.contains(feature.name) {
                return (.vulnerability, [isSet ? "set" : "absent: Linux \(kernel.version)'s cpu_set_bug_bits() never sets it"])
            }
            return (.outsideCPUID, [isSet ? "set" : "absent: the kernel sets it outside cpu_set_bug_bits() (vendor "
                + "errata, boot-time tests), which vcpuid does not derive"])
        }
        guard let origin = feature.origin(in: kernel) else {
            return (.notInKernel, ["\(feature.macro) does not exist in Linux \(kernel.version)"])
        }
        switch origin {
        case let .cpuid(field):
            return (.cpuid, ["absent: \(field) = 0"])
        case let .scattered(fields):
            return (.scattered, ["absent: " + fields.map { "\($0) = 0" }.joined(separator: ", ")])
        case let .synthetic(reason), let .bug(reason):
            if reason.category.isDerivableFromCPUID {
                return (.synthesized, ["absent: the kernel sets it only when \(reason.detail), which does not hold here"])
            }
            return (.outsideCPUID, ["not derivable from CPUID: set by the kernel from outside CPUID (\(reason.category)): \(reason.detail)"])
        }
    }
}
