import CPUID

extension BugEvaluation {
    /// The decision with the terms that decided it, and the MSRs whose absence left a term unknown.
    struct Explained {
        var decision: Decision
        var reasons: [String]
        var missingMSRs: Set<UInt32>
    }

    /// "affected: Intel family 6 model 0x55 (SKYLAKE_X) is not in the NO_MDS whitelist and ARCH_CAPABILITIES.MDS_NO = 0".
    func verdict(_ condition: BugCondition, feature: (FeatureNumber) -> Decision) -> (Explained, String) {
        let explained = explain(condition, feature: feature)
        switch explained.decision {
        case .yes: return (explained, "affected: " + explained.reasons.joined(separator: " and "))
        case .no: return (explained, "not affected: " + explained.reasons.joined(separator: " and "))
        case .unknown: return (explained, "cannot be decided: " + explained.reasons.joined(separator: "; "))
        }
    }

    func explain(_ condition: BugCondition, feature: (FeatureNumber) -> Decision) -> Explained {
        switch condition {
        case .not(.whitelisted(.noSpeculation)) where evaluate(condition, feature: feature) == .yes:
            return Explained(decision: .yes, reasons: [], missingMSRs: [])
        case let .not(inner):
            var explained = explain(inner, feature: feature)
            explained.decision = explained.decision == .yes ? .no : explained.decision == .no ? .yes : .unknown
            return explained
        case let .all(terms), let .any(terms):
            let isAll: Bool
            if case .all = condition { isAll = true } else { isAll = false }
            let parts = terms.map { explain($0, feature: feature) }
            let decisive: Decision = isAll ? .no : .yes
            if let first = parts.first(where: { $0.decision == decisive }) { return first }
            if parts.contains(where: { $0.decision == .unknown }) {
                let unknown = parts.filter { $0.decision == .unknown }
                return Explained(decision: .unknown, reasons: unknown.flatMap(\.reasons),
                                 missingMSRs: unknown.reduce(into: Set()) { $0.formUnion($1.missingMSRs) })
            }
            return Explained(decision: isAll ? .yes : .no, reasons: parts.flatMap(\.reasons), missingMSRs: [])
        default:
            let decision = evaluate(condition, feature: feature)
            return Explained(decision: decision, reasons: [text(condition, decision)],
                             missingMSRs: decision == .unknown ? missingMSRs(condition) : [])
        }
    }

    private func missingMSRs(_ condition: BugCondition) -> Set<UInt32> {
        switch condition {
        case .archCap, .feature: [FeatureMSRBits.archCapabilities]
        case .oldMicrocode: [FeatureMSRBits.microcodeRevision]
        default: []
        }
    }

    /// "Intel family 6 model 0x55 (SKYLAKE_X)"
    var cpuLabel: String {
        let name = [whitelistRow, blacklistRow].compactMap { $0 }.first { $0.model != nil && $0.modelName != nil }?.modelName
            ?? (tables.whitelist + tables.blacklist).first {
                $0.vendor == cpu.vendor && $0.family.map(UInt32.init) == cpu.family && $0.model.map(UInt32.init) == cpu.model
                    && $0.modelName != nil
            }?.modelName
        return cpu.description + (name.map { " (\($0))" } ?? "")
    }

    private func text(_ condition: BugCondition, _ decision: Decision) -> String {
        switch condition {
        case let .whitelisted(flags):
            return "\(cpuLabel) is \(decision == .yes ? "" : "not ")in the \(flags.kernelName) whitelist"
        case let .blacklisted(flags):
            let who = "\(cpuLabel) stepping \(cpu.stepping)"
            if decision == .yes, let row = blacklistRow {
                return "\(who) is in the \(flags.kernelName) blacklist (row \(row.label))"
            }
            if let row = blacklistRow {
                return "\(who) matches the blacklist row \(row.label), which lacks \(flags.kernelName)"
            }
            return "\(who) is not in the \(flags.kernelName) blacklist"
        case let .archCap(bit):
            switch inputs.archCapabilitiesSource {
            case .sampled:
                return "\(bit.label) = \(bit.value(in: inputs.archCapabilities)) (\(bit.citation))"
            case .faulted:
                return "\(bit.label) = 0 (\(bit.citation); reading the MSR faults and the kernel reads 0)"
            case .notEnumerated:
                return "\(bit.label) = 0 (\(bit.citation); CPUID.(EAX=07H,ECX=0):EDX[29] = 0, so the kernel reads 0)"
            case .missing:
                return "\(bit.label) (\(bit.citation)) needs MSR 0x\(String(bit.msr, radix: 16, uppercase: true)), "
                    + "which the dump does not carry"
            }
        case let .feature(name, _):
            switch decision {
            case .yes: return "\(name) = 1"
            case .no: return "\(name) = 0"
            case .unknown: return "\(name) cannot be decided (it follows from ARCH_CAPABILITIES.IBRS_ALL, MSR 0x10A bit 1, "
                + "which the dump does not carry)"
            }
        case let .setLater(name, setter):
            return "\(name) = 0 when the bugs are set (\(setter) sets it later)"
        case let .vendor(vendor):
            return decision == .yes ? "the vendor is \(vendor.displayName)"
                : "the vendor is \(cpu.vendor?.displayName ?? "another"), not \(vendor.displayName)"
        case .oldMicrocode:
            guard let row = tables.microcodeRow(cpu) else {
                return "\(cpuLabel) stepping \(cpu.stepping) has no row in intel-ucode-defs.h"
            }
            if isHypervisor { return "HYPERVISOR = 1: the kernel ignores the microcode revision a host reports" }
            let newest = "0x" + String(row.revision, radix: 16)
            switch inputs.microcodeSource {
            case .missing:
                return "the microcode revision needs MSR 0x8B, which the dump does not carry (newest known: \(newest))"
            default:
                let revision = "0x" + String(inputs.microcode, radix: 16)
                if inputs.microcode & (1 << 31) != 0 { return "microcode revision \(revision) is a debug revision (bit 31)" }
                return decision == .yes ? "microcode revision \(revision) (MSR 0x8B) is below \(newest) (intel-ucode-defs.h)"
                    : "microcode revision \(revision) (MSR 0x8B) is at least \(newest) (intel-ucode-defs.h)"
            }
        default:
            return ""
        }
    }
}
