import CPUID

/// A composed guest table given to KVM and checked from inside a real guest: the proof behind
/// `vcpuid guest verify` and the report's "guest verified" line.
public struct GuestVerification: Sendable {
    public var composition: GuestComposition
    public var probe: GuestProbeResult
    /// The feature MSRs' plan and what came of each; empty when the table carries none.
    public var msrPlan: GuestMSRPlan?
    public var msrFindings: [GuestMSRFinding] = []

    /// Table entries the guest saw as set (run-time fields aside).
    public var verifiedEntries: Int { probe.comparison.verifiedEntryCount }
    public var entryCount: Int { composition.table.count }

    /// What KVM_GET_CPUID2 shows KVM changed when it took the table, beyond the run-time fields.
    public var kvmChanges: [KVMCPUIDChange] { probe.application.changes.filter { !$0.isRunTimeField } }

    /// Findings with differences nothing explains: real mismatches.
    public var failures: [ProbeFinding] { probe.comparison.mismatches }

    /// Table entries the guest saw exactly as the table set them (up to run-time fields).
    public var exactEntries: Int {
        probe.comparison.tableFindings.filter { !$0.isMismatch && $0.changedByKVM.isEmpty }.count
    }

    /// Table entries the guest saw as KVM holds them after changing them (KVM_GET_CPUID2 announced it).
    public var entriesChangedByKVM: [ProbeFinding] {
        probe.comparison.tableFindings.filter { !$0.isMismatch && !$0.changedByKVM.isEmpty }
    }

    /// Features the policy enabled or disabled by name whose bit KVM changed back when it took the table.
    public var overriddenByKVM: [GuestFeature] {
        (composition.enabledFeatures + composition.disabledFeatures).filter { feature in
            guard let field = feature.field else { return false }
            return probe.comparison.tableFindings.contains { finding in
                finding.target.key == LeafKey(field.leaf, field.subleaf)
                    && finding.changedByKVM.contains { $0.register == field.register && $0.bits & field.mask != 0 }
            }
        }
    }

    /// The guest saw every entry as KVM holds it, with no difference left unexplained: the table as set,
    /// up to named run-time fields and the changes KVM announced when it took the table.
    public var passed: Bool {
        failures.isEmpty && verifiedEntries == entryCount && msrMismatches.isEmpty
            && (msrPlan?.requestedRefusals.isEmpty ?? true)
    }

    /// Feature MSRs the guest did not see as the rules predict.
    public var msrMismatches: [GuestMSRFinding] { msrFindings.filter(\.isMismatch) }

    /// What the guest's CPUID returned for these inputs, when they were probed.
    public func observed(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> Registers? {
        zip(probe.targets, probe.observed).first { $0.0.key == LeafKey(leaf, subleaf) }?.1
    }

    /// Composes nothing: applies `composition.table` on an open KVM, runs the probe guest, and compares.
    /// With a plan, writes the MSRs KVM will take (after KVM_SET_CPUID2, before the run) and has the guest
    /// read every one with RDMSR.
    public static func run(_ composition: GuestComposition, msrPlan: GuestMSRPlan? = nil,
                           timeout: Duration = GuestProbe.defaultTimeout,
                           using system: borrowing KVMSystem) throws(GuestProbeError) -> GuestVerification {
        var probe = GuestProbe(table: composition.table, timeout: timeout)
        if let msrPlan {
            probe.msrWrites = msrPlan.writes
            probe.msrReads = msrPlan.reads
        }
        let result = try probe.run(using: system)
        var verification = GuestVerification(composition: composition, probe: result, msrPlan: msrPlan)
        if let msrPlan {
            let readBack = Dictionary(result.msrReadBack.map { ($0.index, $0.value.bits ?? 0) }, uniquingKeysWith: { a, _ in a })
            verification.msrFindings = zip(msrPlan.items, result.msrObserved).map { item, observed in
                GuestMSRFinding(item: item, readBack: item.refusal == nil ? readBack[item.msr.index] : nil, guest: observed.value)
            }
        }
        return verification
    }

    /// Opens `/dev/kvm` for one verification.
    public static func run(_ composition: GuestComposition, msrPlan: GuestMSRPlan? = nil,
                           timeout: Duration = GuestProbe.defaultTimeout,
                           path: String = "/dev/kvm") throws(GuestProbeError) -> GuestVerification {
        let system: KVMSystem
        do { system = try KVMSystem(path: path) } catch { throw .kvm(error) }
        return try run(composition, msrPlan: msrPlan, timeout: timeout, using: system)
    }

    /// The default report's line: the live supported table, unedited, verified in a guest.
    /// Nil when /dev/kvm is absent or unusable here (the report then says nothing about guests).
    public static func reportLine(path: String = "/dev/kvm", timeout: Duration = GuestProbe.defaultTimeout) -> String? {
        guard KVMSystem.isPresent(path: path) else { return nil }
        let system: KVMSystem
        do { system = try KVMSystem(path: path) } catch { return nil }
        let composition: GuestComposition
        do {
            let snapshot = try system.supportedCPUID()
            let base = GuestBase(kind: .live, snapshot: snapshot, name: "KVM_GET_SUPPORTED_CPUID (live)")
            composition = try GuestTableComposer(directory: GuestFeatureTable([])).compose(GuestPolicy(), on: base)
        } catch {
            return "guest verified: not checked (\(error))"
        }
        do {
            let verification = try run(composition, timeout: timeout, using: system)
            return verification.summary
        } catch {
            return "guest verified: failed (\(error))"
        }
    }

    /// `guest verified: 75 entries (4 as KVM changed them)` or
    /// `guest verified: 73 of 75 entries (2 mismatches; see vcpuid guest verify)`.
    public var summary: String {
        let changed = entriesChangedByKVM.count
        var note = changed == 0 ? "" : " (\(changed) as KVM changed them)"
        if !msrFindings.isEmpty {
            let asSet = msrFindings.filter { $0.verdict == .asSet }.count
            let faulted = msrFindings.filter { if case .faultedAsPredicted = $0.verdict { return true }; return false }.count
            let refused = msrFindings.filter { if case .refusedAsPredicted = $0.verdict { return true }; return false }.count
            var parts = ["\(asSet) as set"]
            if faulted > 0 { parts.append("\(faulted) #GP as predicted") }
            if refused > 0 { parts.append("\(refused) left out (KVM would refuse)") }
            if !msrMismatches.isEmpty { parts.append("\(msrMismatches.count) mismatched") }
            note += "; feature MSRs: " + parts.joined(separator: ", ")
        }
        if passed { return "guest verified: \(verifiedEntries) entries\(note)" }
        return "guest verified: \(verifiedEntries) of \(entryCount) entries (\(failures.count) mismatches; see vcpuid guest verify)"
    }
}
