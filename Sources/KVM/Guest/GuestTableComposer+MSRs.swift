import CPUID
import X86Features

/// Feature-MSR edits of a guest policy: `--set msr.0x10a=...`, `--enable/--disable arch_capabilities.x`, a
/// template's msr_modifiers. A bit the base's feature-MSR value lacks is refused like an unoffered CPUID
/// feature: KVM stores any ARCH_CAPABILITIES value userspace writes, so this check is vcpuid's protection.
extension GuestTableComposer {
    /// The MSRs whose bits are capabilities KVM offers (a value must be a subset of the base's).
    static let bitwiseOfferedMSRs: Set<UInt32> = [FeatureMSRBits.archCapabilities, FeatureMSRBits.perfCapabilities,
                                                   FeatureMSRBits.coreCapabilities, 0xC001_1029]

    /// Splits names into CPUID features and feature-MSR bits (a name the CPUID directory does not know but the
    /// MSR catalogue does, e.g. `arch_capabilities.mds_no`, `mds-no`).
    func partition(_ names: [String]) -> (cpuid: [String], msrBits: [(name: String, bit: FeatureMSRBit)]) {
        var cpuid: [String] = []
        var msrBits: [(String, FeatureMSRBit)] = []
        for name in names {
            if directory.feature(named: name) == nil, let bit = FeatureMSRBits.lookup(name) {
                msrBits.append((name, bit))
            } else {
                cpuid.append(name)
            }
        }
        return (cpuid, msrBits)
    }

    /// The value a policy edits: the table's, else the base's, else nil (the base does not list the MSR).
    func currentMSR(_ msr: UInt32, _ work: Work) -> UInt64? { work.table.msr(msr)?.bits }

    func enableMSRBits(_ bits: [(name: String, bit: FeatureMSRBit)], edit: String, policy: GuestPolicy, base: GuestBase,
                       _ work: inout Work) {
        var changes: [String] = []
        for (_, bit) in bits {
            guard let old = currentMSR(bit.msr, work) ?? offeredAnyway(bit.msr, edit: edit, policy: policy, base: base, &work) else { continue }
            let new = old | bit.mask
            guard checkOffered(bit.msr, value: new, edit: edit, policy: policy, base: base, &work) else { continue }
            work.table.setMSR(MSR(bit.msr, .value(new)))
            changes.append(old == new ? "\(bit.label) was already on" : "set \(bit.label) (\(bit.citation))")
        }
        work.steps.append(.init(edit: edit, changes: changes))
    }

    func disableMSRBits(_ bits: [(name: String, bit: FeatureMSRBit)], edit: String, _ work: inout Work) {
        var changes: [String] = []
        for (_, bit) in bits {
            guard let old = currentMSR(bit.msr, work) else {
                changes.append("\(bit.label): the table has no \(FeatureMSRNames.name(of: bit.msr)), nothing to clear")
                continue
            }
            work.table.setMSR(MSR(bit.msr, .value(old & ~bit.mask)))
            changes.append(old & bit.mask == 0 ? "\(bit.label) was already off" : "cleared \(bit.label) (\(bit.citation))")
        }
        work.steps.append(.init(edit: edit, changes: changes))
    }

    func setMSR(_ assignment: MSRAssignment, edit: String, policy: GuestPolicy, base: GuestBase, _ work: inout Work) {
        guard let old = currentMSR(assignment.msr, work)
                ?? offeredAnyway(assignment.msr, edit: edit, policy: policy, base: base, &work) else { return }
        let new = assignment.applied(to: old)
        guard checkOffered(assignment.msr, value: new, edit: edit, policy: policy, base: base, &work) else { return }
        work.table.setMSR(MSR(assignment.msr, .value(new)))
        let name = FeatureMSRNames.name(of: assignment.msr)
        work.steps.append(.init(edit: edit, changes: [old == new ? "\(name) unchanged" : "\(name): \(Hex.quad(old)) → \(Hex.quad(new))"]))
    }

    /// Firecracker's msr_modifiers: (KVM's value & ~filter) | value for each; an MSR the base lacks fails
    /// as Firecracker's MsrNotSupported does.
    func applyMSRModifiers(_ template: FirecrackerTemplate, edit: String, policy: GuestPolicy, base: GuestBase, _ work: inout Work) {
        var changes: [String] = []
        for modifier in template.msrModifiers {
            guard let old = currentMSR(modifier.address, work)
                    ?? offeredAnyway(modifier.address, edit: edit, policy: policy, base: base, &work) else { continue }
            let new = modifier.bitmap.applied(to: old)
            guard checkOffered(modifier.address, value: new, edit: edit, policy: policy, base: base, &work) else { continue }
            work.table.setMSR(MSR(modifier.address, .value(new)))
            changes.append("\(FeatureMSRNames.name(of: modifier.address)): \(Hex.quad(old)) → \(Hex.quad(new))")
        }
        if !changes.isEmpty { work.steps.append(.init(edit: edit + " (msr_modifiers)", changes: changes)) }
    }

    /// An MSR the base does not list: a problem, or with --allow-unsupported a warning and a start from 0.
    private func offeredAnyway(_ msr: UInt32, edit: String, policy: GuestPolicy, base: GuestBase, _ work: inout Work) -> UInt64? {
        if base.snapshot.msrs.isEmpty {
            // A CPUID-only base says nothing about MSRs: start from 0, and let the offer check refuse set bits.
            work.warnings.append("\(edit): the base \(base.name) carries no feature MSRs; \(FeatureMSRNames.name(of: msr)) starts from 0")
            return 0
        }
        guard policy.allowUnsupported else {
            work.problems.append(.msrNotOffered(msr: msr, base: base.name, edit: edit))
            return nil
        }
        work.warnings.append("\(edit): the base \(base.name) lists no \(FeatureMSRNames.name(of: msr)); starting from 0 because of --allow-unsupported")
        return 0
    }

    /// Whether `value` offers only what the base offers; each extra bit is a problem (or, allowed, a warning).
    private func checkOffered(_ msr: UInt32, value: UInt64, edit: String, policy: GuestPolicy, base: GuestBase,
                              _ work: inout Work) -> Bool {
        guard Self.bitwiseOfferedMSRs.contains(msr) else { return true }
        let offered = base.snapshot.msr(msr)?.bits ?? 0
        let extra = value & ~offered
        guard extra != 0 else { return true }
        var accepted = true
        for n in 0..<64 where extra & (1 << UInt64(n)) != 0 {
            let label = FeatureMSRBits.bit(msr, covering: n)?.label
                ?? "\(FeatureMSRNames.name(of: msr)) bit \(n)"
            let reason = base.reasonAbsent(msr: msr, bit: n)
            if policy.allowUnsupported {
                work.warnings.append("\(edit): \(label) is not offered by the base \(base.name) (\(reason)); "
                    + "set anyway because of --allow-unsupported")
            } else {
                work.problems.append(.unsupportedMSRBit(bit: label, msr: msr, base: base.name, reason: reason, edit: edit))
                accepted = false
            }
        }
        return accepted
    }
}
