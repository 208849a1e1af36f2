import CPUID

/// Carries out a `GuestPolicy` on a base: enables, disables (with everything that depends on the disabled
/// feature), raw register edits and Firecracker templates, in order; then refuses what cannot work.
///
/// Disabling follows Linux's dependency rows and the structural rules to a fixpoint. Enabling checks that
/// the base offers the feature, that its dependencies are on, and makes its leaf reachable.
public struct GuestTableComposer: Sendable {
    public var directory: any GuestFeatureDirectory
    public var rules: [StructuralRule]

    public init(directory: any GuestFeatureDirectory, rules: [StructuralRule] = StructuralRules.all) {
        self.directory = directory
        self.rules = rules
    }

    /// The composed, checked table; throws every problem at once.
    public func compose(_ policy: GuestPolicy, on base: GuestBase) throws(GuestPolicyError) -> GuestComposition {
        var work = Work(table: base.snapshot)
        for edit in policy.edits {
            switch edit {
            case let .enable(names):
                let (cpuid, msrBits) = partition(names)
                if !cpuid.isEmpty { enable(cpuid, edit: edit.description, policy: policy, base: base, &work) }
                if !msrBits.isEmpty { enableMSRBits(msrBits, edit: edit.description, policy: policy, base: base, &work) }
            case let .disable(names):
                let (cpuid, msrBits) = partition(names)
                if !cpuid.isEmpty { disable(cpuid, edit: edit.description, &work) }
                if !msrBits.isEmpty { disableMSRBits(msrBits, edit: edit.description, &work) }
            case let .set(assignment): write(edit: edit.description, &work) { $0.set(assignment) }
            case let .setMSR(assignment): setMSR(assignment, edit: edit.description, policy: policy, base: base, &work)
            case let .template(template, _):
                write(edit: edit.description, &work) { $0 = template.apply(to: $0) }
                applyMSRModifiers(template, edit: edit.description, policy: policy, base: base, &work)
            }
        }
        finalCheck(base: base, &work)
        guard work.problems.isEmpty else { throw GuestPolicyError(problems: work.problems) }
        let enabled = work.enabled.filter { work.table.isSet($0.field) }.map(\.feature)
        let disabled = work.disabled.filter { !work.table.isSet($0.field) }.map(\.feature)
        return GuestComposition(base: base, table: work.table, steps: work.steps, warnings: work.warnings,
                                advisories: work.advisories, enabledFeatures: enabled, disabledFeatures: disabled)
    }

    /// The composition's mutable state while edits run.
    struct Work {
        var table: Snapshot
        var clearedBy: [CPUIDField: String] = [:]
        /// Fields an edit turned off by name (not as a consequence): a dependency chain ends at one.
        var clearedDirectly: Set<CPUIDField> = []
        var enabled: [(feature: GuestFeature, field: CPUIDField, edit: String)] = []
        var disabled: [(feature: GuestFeature, field: CPUIDField)] = []
        var steps: [GuestComposition.Step] = []
        var warnings: [String] = []
        var advisories: [RuleViolation] = []
        var problems: [GuestPolicyError.Problem] = []
    }

    // MARK: names

    func resolve(_ name: String, edit: String, _ work: inout Work) -> (GuestFeature, CPUIDField)? {
        guard let feature = directory.feature(named: name) else {
            let suggestions = directory.suggestions(for: name, limit: 3)
            work.problems.append(.unknownFeature(name: name, edit: edit, suggestions: suggestions))
            return nil
        }
        guard let field = feature.field else {
            work.problems.append(.notACPUIDBit(feature: feature.macro, edit: edit))
            return nil
        }
        return (feature, field)
    }

    func label(_ field: CPUIDField, fallback: String? = nil) -> String {
        directory.feature(at: field)?.macro ?? fallback ?? field.description
    }

    // MARK: disable

    func disable(_ names: [String], edit: String, _ work: inout Work) {
        var changes: [String] = []
        for name in names {
            guard let (feature, field) = resolve(name, edit: edit, &work) else { continue }
            let accepted = Set(GuestTableChecker.check(work.table, rules: rules))
            if work.table.isSet(field) {
                GuestTableChecker.clear(field, in: &work.table)
                changes.append("cleared \(feature)")
            } else {
                changes.append("\(feature) was already off")
            }
            work.clearedBy[field] = edit
            work.clearedDirectly.insert(field)
            work.disabled.append((feature, field))
            // Linux's rows and the structural rules, alternately, until neither clears anything more.
            var frontier = [feature.macro]
            var seen: Set<String> = [feature.macro]
            while true {
                while let macro = frontier.popLast() {
                    for dependent in directory.dependents(of: macro) where seen.insert(dependent.macro).inserted {
                        frontier.append(dependent.macro)
                        guard let dependentField = dependent.field, work.table.isSet(dependentField) else { continue }
                        GuestTableChecker.clear(dependentField, in: &work.table)
                        work.clearedBy[dependentField] = "\(edit): \(dependent.macro) depends on \(macro)"
                        changes.append("cleared \(dependent) (\(dependent.dependencySource): depends on \(macro))")
                    }
                }
                let repaired = GuestTableChecker.propagate(in: &work.table, accepting: accepted, rules: rules)
                for violation in repaired {
                    switch violation.subject {
                    case let .field(ruleField):
                        let name = label(ruleField.field, fallback: ruleField.label)
                        work.clearedBy[ruleField.field] = "\(edit): rule \(violation.rule.name)"
                        changes.append("cleared \(name) \(ruleField.field) (rule \(violation.rule.name))")
                        if let cleared = directory.feature(at: ruleField.field), seen.insert(cleared.macro).inserted {
                            frontier.append(cleared.macro)
                        }
                    case let .entry(key):
                        let verb = work.table.entry(key.leaf, key.subleaf) == nil ? "removed" : "emptied"
                        changes.append("\(verb) entry \(key) (rule \(violation.rule.name))")
                    case let .component(bit):
                        changes.append("withdrew XSAVE state component \(bit) (rule \(violation.rule.name))")
                    }
                }
                if frontier.isEmpty { break }
            }
        }
        work.steps.append(.init(edit: edit, changes: changes))
    }

    // MARK: enable

    func enable(_ names: [String], edit: String, policy: GuestPolicy, base: GuestBase, _ work: inout Work) {
        var changes: [String] = []
        for name in names {
            guard let (feature, field) = resolve(name, edit: edit, &work) else { continue }
            work.enabled.append((feature, field, edit))
            if work.table.isSet(field) {
                changes.append("\(feature) was already on")
                continue
            }
            if !base.snapshot.isSet(field) {
                let reason = base.reasonAbsent(field)
                guard policy.allowUnsupported else {
                    work.problems.append(.unsupported(feature: feature, base: base.name, reason: reason, edit: edit))
                    continue
                }
                work.warnings.append("\(edit): \(feature) is not offered by the base \(base.name) (\(reason)); "
                    + "enabled anyway because of --allow-unsupported: KVM may refuse or ignore it")
            }
            work.table.set(field, to: 1)
            if var entry = work.table.entry(field.leaf, field.subleaf), !entry.significantIndex,
               SubleafRules.hasSubleaves(field.leaf) {
                entry.significantIndex = true
                work.table.set(entry)
            }
            work.clearedBy[field] = nil
            work.clearedDirectly.remove(field)
            changes.append("set \(feature)" + (feature.note.map { " (\($0))" } ?? ""))
            changes += makeReachable(field, base: base, &work)
        }
        work.steps.append(.init(edit: edit, changes: changes))
    }

    /// What a VMM must add so that the guest can read an enabled bit: its leaf within the range's maximum,
    /// and the entries the structural rules want next to it (for SGX: 0x12.0 and 0x12.1, and an EPC list).
    func makeReachable(_ field: CPUIDField, base: GuestBase, _ work: inout Work) -> [String] {
        var changes: [String] = []
        var keys = [LeafKey(field.leaf, field.subleaf)]
        for rule in rules {
            if case let .fieldsRequireEntries(features, required) = rule.condition,
               features.contains(where: { $0.field == field }) {
                keys += required
            }
        }
        // An SGX1 guest enumerates EPC sections from subleaf 2 on; an explicit type-0 entry ends the list.
        if field == StructuralRules.sgx1.field, !work.table.subleaves(of: 0x12).contains(where: { $0.subleaf >= 2 }) {
            keys.append(LeafKey(0x12, 2))
            work.warnings.append("leaf 0x12 lists no EPC section (0x12.2 is type 0): a guest kernel cannot run enclaves "
                + "until the VMM gives it a virtual EPC (host /dev/sgx_vepc) and describes it in 0x12.2 and up")
        }
        for key in keys {
            if work.table.entry(key.leaf, key.subleaf) == nil {
                let entry = base.snapshot.entry(key.leaf, key.subleaf)
                    ?? CPUIDEntry(key: key, registers: .zero, significantIndex: SubleafRules.hasSubleaves(key.leaf))
                work.table.set(entry)
                changes.append("added entry \(key)\(entry.registers.isZero ? " (zeros)" : " from the base")")
            }
            // Subleaves counted by subleaf 0 (leaf 7 and the like): the count must reach this one.
            for rule in rules {
                guard case let .subleafRange(leaf, maximum) = rule.condition, leaf == key.leaf,
                      key.subleaf > work.table.read(maximum), key.subleaf <= maximum.mask >> UInt32(maximum.low) else { continue }
                work.table.set(maximum, to: key.subleaf)
                changes.append("raised the subleaf count of leaf \(Hex.word(leaf)) (\(maximum)) to \(key.subleaf)")
            }
            guard let range = StructuralRule.LeafRange.containing(key.leaf) else { continue }
            let maximum = GuestTableChecker.maximumLeaf(of: range, in: work.table)
            if maximum.map({ $0 < key.leaf }) ?? true {
                work.table.set(range.firstLeaf, 0, .eax, to: key.leaf)
                changes.append("raised the \(range.rawValue) maximum leaf (\(LeafKey(range.firstLeaf, 0)) EAX) to \(Hex.word(key.leaf))")
            }
        }
        return changes
    }

    // MARK: raw writes

    func write(edit: String, _ work: inout Work, _ change: (inout Snapshot) -> Void) {
        let before = work.table
        change(&work.table)
        var changes: [String] = []
        for entry in work.table.entries {
            let old = before.entry(entry.leaf, entry.subleaf)
            for register in Register.allCases {
                let was = old?.registers[register] ?? 0
                let now = entry.registers[register]
                guard was != now || old == nil else { continue }
                changes.append("\(entry.key) \(register): \(old == nil ? "(new entry)" : Hex.word(was)) → \(Hex.word(now))")
                let cleared = was & ~now
                for bit in 0..<32 where cleared & (1 << UInt32(bit)) != 0 {
                    let field = CPUIDField(entry.leaf, entry.subleaf, register, bit: bit)
                    work.clearedBy[field] = edit
                    work.clearedDirectly.insert(field)
                }
            }
        }
        work.steps.append(.init(edit: edit, changes: changes.isEmpty ? ["no change"] : changes))
    }

    // MARK: final checks

    func finalCheck(base: GuestBase, _ work: inout Work) {
        var chained: Set<CPUIDField> = []
        var reported: Set<String> = []
        for (feature, field, edit) in work.enabled where work.table.isSet(field) {
            let chain = missingChain(from: feature, field, base: base, work)
            guard chain.count > 1 else { continue }
            chained.formUnion(chain.map(\.field))
            let key = "\(feature.macro)|\(edit)"
            if reported.insert(key).inserted {
                work.problems.append(.dependencyOff(feature: feature, chain: chain, edit: edit))
            }
        }
        let baseDependencies = Set(GuestTableChecker.dependencyViolations(in: base.snapshot, directory: directory))
        for violation in GuestTableChecker.dependencyViolations(in: work.table, directory: directory) {
            if baseDependencies.contains(violation) {
                work.warnings.append("the base already breaks \(violation)")
            } else if let field = violation.feature.field, !chained.contains(field) {
                work.problems.append(.dependencyBroken(violation))
            }
        }
        let baseFindings = Set(GuestTableChecker.check(base.snapshot, rules: rules))
        for violation in GuestTableChecker.check(work.table, rules: rules) {
            if violation.severity == .advisory {
                work.advisories.append(violation)
            } else if baseFindings.contains(violation) {
                work.warnings.append("the base already breaks \(violation)")
            } else if case let .field(subject) = violation.subject, chained.contains(subject.field) {
                continue
            } else if case let .entry(key) = violation.subject,
                      chained.contains(where: { $0.leaf == key.leaf && $0.subleaf == key.subleaf }) {
                // The entry has content because of an enable the chain already refuses.
                continue
            } else if let requirement = violation.requirement, chained.contains(requirement.field) {
                // The dependency chain already explains this requirement.
                continue
            } else {
                work.problems.append(.inconsistent(violation))
            }
        }
    }

    /// The fields `field` needs on: Linux's dependency rows and the structural rules that name it.
    func requirements(of field: CPUIDField) -> [(field: CPUIDField, label: String, because: [String])] {
        var found: [(field: CPUIDField, label: String, because: [String])] = []
        func add(_ required: CPUIDField, _ name: String, _ why: String) {
            if let index = found.firstIndex(where: { $0.field == required }) {
                found[index].because.append(why)
            } else {
                found.append((required, name, [why]))
            }
        }
        if let feature = directory.feature(at: field) {
            for macro in feature.dependsOn {
                guard let dependency = directory.feature(named: macro), let dependencyField = dependency.field else { continue }
                add(dependencyField, dependency.macro, "\(feature.dependencySource): \(feature.macro) depends on \(dependency.macro)")
            }
        }
        for rule in rules {
            if case let .fieldsRequire(dependents, requirement) = rule.condition, dependents.contains(where: { $0.field == field }) {
                add(requirement.field, label(requirement.field, fallback: requirement.label), "rule \(rule.name)")
            }
        }
        return found
    }

    /// From an enabled feature down through the first requirement that is off, to the deepest one: the
    /// whole chain a user must fix. One link (the feature itself) when nothing it needs is off.
    func missingChain(from feature: GuestFeature, _ field: CPUIDField, base: GuestBase, _ work: Work) -> [GuestPolicyError.ChainLink] {
        var chain = [GuestPolicyError.ChainLink(label: feature.macro, field: field, because: [], offBecause: nil)]
        var current = field
        var visited: Set<CPUIDField> = [field]
        while let next = requirements(of: current).first(where: { !work.table.isSet($0.field) }),
              visited.insert(next.field).inserted {
            let off = work.clearedBy[next.field]
                ?? (base.snapshot.isSet(next.field) ? "cleared by an edit" : "the base \(base.name) does not offer it: \(base.reasonAbsent(next.field)); enable it too")
            chain.append(.init(label: next.label, field: next.field, because: next.because, offBecause: off))
            // An edit that named this feature is the cause; what lies beyond it is not the user's question.
            if work.clearedDirectly.contains(next.field) { break }
            current = next.field
        }
        return chain
    }
}

extension Snapshot {
    /// Writes `value` into a field (a whole register or a bit range of it), creating the entry if needed.
    public mutating func set(_ field: CPUIDField, to value: UInt32) {
        set(field.leaf, field.subleaf, field.register,
            to: field.inserting(value, into: self.value(field.leaf, field.subleaf, field.register)))
    }

    /// Writes a raw register assignment.
    public mutating func set(_ assignment: RegisterAssignment) { set(assignment.field, to: assignment.value) }
}
