import CPUID

/// Checks a guest CPUID table against the structural rules and repairs what a disabled feature leaves behind.
///
/// Pure functions over `Snapshot`: any VMM can call `check` on the table it is about to hand to KVM_SET_CPUID2.
public enum GuestTableChecker {
    /// Every violation of every rule, in rule order, then table order.
    public static func check(_ table: Snapshot, rules: [StructuralRule] = StructuralRules.all) -> [RuleViolation] {
        rules.flatMap { violations(of: $0, in: table) }
    }

    /// Only the violations that refuse a table (not the advisories).
    public static func errors(in table: Snapshot, rules: [StructuralRule] = StructuralRules.all) -> [RuleViolation] {
        check(table, rules: rules).filter { $0.severity == .error }
    }

    /// The violations of one rule.
    public static func violations(of rule: StructuralRule, in table: Snapshot) -> [RuleViolation] {
        switch rule.condition {
        case let .fieldsRequire(dependents, requirement):
            guard !table.isSet(requirement.field) else { return [] }
            return dependents.filter { table.isSet($0.field) }.map { dependent in
                RuleViolation(rule: rule, subject: .field(dependent), requirement: requirement,
                              detail: "\(dependent) is set but \(requirement) is clear")
            }

        case let .leafRequires(leaf, fromSubleaf, requirement):
            guard !table.isSet(requirement.field) else { return [] }
            return table.subleaves(of: leaf)
                .filter { $0.subleaf >= fromSubleaf && !$0.registers.isZero }
                .map { entry in
                    RuleViolation(rule: rule, subject: .entry(entry.key), requirement: requirement,
                                  detail: "entry \(entry.key) has content but \(requirement) is clear")
                }

        case let .xsaveComponents(features, components):
            let supported = xcr0Supported(table)
            let missing = components.filter { supported & (UInt64(1) << UInt64($0)) == 0 }
            guard !missing.isEmpty else { return [] }
            let list = missing.map(String.init).joined(separator: ", ")
            return features.filter { table.isSet($0.field) }.map { feature in
                RuleViolation(rule: rule, subject: .field(feature),
                              detail: "\(feature) is set but XSAVE state component(s) \(list) are not enumerated in CPUID.(EAX=0DH,ECX=0):EDX:EAX")
            }

        case let .leafRange(range):
            let maximum = maximumLeaf(of: range, in: table)
            return table.entries
                .filter { entry in range.contains(entry.leaf) && (maximum.map { entry.leaf > $0 } ?? true) }
                .map { entry in
                    let bound = maximum.map { "the maximum \(Hex.word($0))" }
                        ?? "no entry \(Hex.word(range.firstLeaf)) enumerating the \(range.rawValue) range"
                    return RuleViolation(rule: rule, subject: .entry(entry.key),
                                         detail: "entry \(entry.key) lies beyond \(bound): a guest never reaches it")
                }

        case let .subleafRange(leaf, maximumField):
            guard table.entry(leaf, 0) != nil else { return [] }
            let maximum = table.read(maximumField)
            return table.subleaves(of: leaf).filter { $0.subleaf > maximum }.map { entry in
                RuleViolation(rule: rule, subject: .entry(entry.key),
                              detail: "entry \(entry.key) lies beyond the maximum subleaf \(maximum) in \(maximumField)")
            }

        case let .fieldsRequireEntries(features, keys):
            let unreachable = keys.filter { !isReachable($0, in: table) }
            guard !unreachable.isEmpty else { return [] }
            let list = unreachable.map(\.description).joined(separator: ", ")
            return features.filter { table.isSet($0.field) }.map { feature in
                RuleViolation(rule: rule, subject: .field(feature),
                              detail: "\(feature) is set but entry \(list) is missing or beyond the maximum leaf")
            }

        case .xsaveComponentSizes:
            let enumerated = xcr0Supported(table) | xssSupported(table)
            return (2..<64).filter { enumerated & (UInt64(1) << UInt64($0)) != 0 }
                .filter { table.entry(0xD, UInt32($0)).map { $0.registers.eax == 0 } ?? true }
                .map { bit in
                    RuleViolation(rule: rule, subject: .component(bit),
                                  detail: "XSAVE state component \(bit) is enumerated but entry \(LeafKey(0xD, UInt32(bit))) giving its size is missing or zero")
                }
        }
    }

    // MARK: repairs

    /// Changes the table so that this violation no longer holds, by taking away what breaks the rule:
    /// clearing the dependent field, emptying or removing the entry, or withdrawing the component.
    public static func repair(_ violation: RuleViolation, in table: inout Snapshot) {
        switch violation.subject {
        case let .field(dependent):
            clear(dependent.field, in: &table)
        case let .entry(key):
            if key.subleaf == 0, case .leafRequires = violation.rule.condition {
                // Keep subleaf 0 as an all-zero entry: that is how KVM reports a leaf whose feature is off.
                if var entry = table.entry(key.leaf, 0) {
                    entry.registers = .zero
                    table.set(entry)
                }
            } else {
                table.remove(key.leaf, key.subleaf)
            }
        case let .component(bit):
            if bit < 32 {
                clear(CPUIDField(0xD, 0, .eax, bit: bit), in: &table)
                clear(CPUIDField(0xD, 1, .ecx, bit: bit), in: &table)
            } else {
                clear(CPUIDField(0xD, 0, .edx, bit: bit - 32), in: &table)
                clear(CPUIDField(0xD, 1, .edx, bit: bit - 32), in: &table)
            }
        }
    }

    /// Repairs, to a fixpoint, every error violation not already present in `accepted`: what a disable edit
    /// does to everything that depended on the disabled bit. Returns the violations it repaired, in order.
    @discardableResult
    public static func propagate(in table: inout Snapshot, accepting accepted: Set<RuleViolation> = [],
                                 rules: [StructuralRule] = StructuralRules.all) -> [RuleViolation] {
        var repaired: [RuleViolation] = []
        // Each repair clears a bit or removes an entry, so the loop ends within the table's size.
        for _ in 0...(table.count * 128 + 1) {
            let fresh = errors(in: table, rules: rules).filter { !accepted.contains($0) }
            guard !fresh.isEmpty else { break }
            for violation in fresh where violations(of: violation.rule, in: table).contains(violation) {
                // An earlier repair of this round may already have taken it away.
                repair(violation, in: &table)
                repaired.append(violation)
            }
        }
        return repaired
    }

    // MARK: helpers

    /// XCR0 bits the table enumerates as supported: CPUID.(EAX=0DH,ECX=0):EDX:EAX.
    public static func xcr0Supported(_ table: Snapshot) -> UInt64 {
        UInt64(table.value(0xD, 0, .edx)) << 32 | UInt64(table.value(0xD, 0, .eax))
    }

    /// IA32_XSS bits the table enumerates as supported: CPUID.(EAX=0DH,ECX=1):EDX:ECX.
    public static func xssSupported(_ table: Snapshot) -> UInt64 {
        UInt64(table.value(0xD, 1, .edx)) << 32 | UInt64(table.value(0xD, 1, .ecx))
    }

    /// The range's maximum leaf, or nil when the range's first leaf is absent (or, for the extended range,
    /// does not hold a leaf of that range).
    public static func maximumLeaf(of range: StructuralRule.LeafRange, in table: Snapshot) -> UInt32? {
        guard let first = table.entry(range.firstLeaf, 0) else { return nil }
        let eax = first.registers.eax
        switch range {
        case .basic:
            return eax
        case .hypervisor:
            // KVM's convention: 0 in EAX means 0x40000001.
            return max(eax, range.firstLeaf + 1)
        case .extended:
            return range.contains(eax) ? eax : nil
        }
    }

    /// Whether a guest reading these inputs gets this entry: present, and within its range's maximum.
    public static func isReachable(_ key: LeafKey, in table: Snapshot) -> Bool {
        guard table.entry(key.leaf, key.subleaf) != nil else { return false }
        guard let range = StructuralRule.LeafRange.containing(key.leaf) else { return true }
        guard let maximum = maximumLeaf(of: range, in: table) else { return false }
        return key.leaf <= maximum
    }

    static func clear(_ field: CPUIDField, in table: inout Snapshot) {
        guard let entry = table.entry(field.leaf, field.subleaf) else { return }
        let value = entry.registers[field.register]
        let cleared = field.inserting(0, into: value)
        if cleared != value { table.set(field.leaf, field.subleaf, field.register, to: cleared) }
    }
}
