import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid guest verify`: compose, apply with KVM_SET_CPUID2, run a real guest, and compare.
struct GuestVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compose a guest table, give it to KVM, run a tiny guest that executes CPUID, and compare.",
        discussion: """
            Prints 'verified: N entries as set' with the run-time fields that legitimately differ (APIC IDs, \
            OSXSAVE/OSPKE following CR4, XSAVE sizes following XCR0) and the bits KVM changed when it took the \
            table (KVM_GET_CPUID2 shows them, and the guest sees KVM's value), and exits 0; or prints every \
            real mismatch and exits 1. Needs /dev/kvm.

            Examples:
              vcpuid guest verify
              vcpuid guest verify --enable sgx,sgx1,sgx2,sgx-edeccssa --allow-unsupported
              vcpuid guest verify --base host.cpuid --kernel 6.2 --disable avx512f --json
            """
    )

    @OptionGroup var policy: GuestPolicyOptions

    @Flag(help: "Print the verification as JSON.")
    var json = false

    @Option(parsing: .unconditional, help: "Seconds to let the guest run before it is stopped.")
    var timeout: Double = 2

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must lie within (0, 3600] seconds, not \(timeout)") }
    }

    func run() throws {
        let (composition, directory) = try GuestRendering.compose(policy, json: json)
        let plan = policy.msrPlan(for: composition)
        let verification = try GuestVerification.run(composition, msrPlan: plan.items.isEmpty ? nil : plan,
                                                     timeout: .milliseconds(Int64(timeout * 1000)))
        if json {
            print(try prettyJSON(GuestVerificationJSON(verification, directory: directory)))
        } else {
            print(GuestVerificationText.render(verification, directory: directory))
        }
        if !verification.passed { throw ExitCode(ExitStatus.negativeVerdict) }
    }
}

/// The fields of leaf 0x12 subleaf 0 EAX a guest policy is usually about, for the SGX line.
enum SGXLeafBits {
    static let named: [(bit: Int, name: String)] = [
        (0, "SGX1"), (1, "SGX2"), (5, "ENCLV"), (6, "ENCLS-C"), (7, "EVERIFYREPORT2"), (10, "EUPDATESVN"), (11, "EDECCSSA"),
    ]

    static func describe(_ eax: UInt32) -> String {
        let set = named.filter { eax & (1 << UInt32($0.bit)) != 0 }.map { "\($0.name) bit \($0.bit)" }
        return set.isEmpty ? "no SGX leaf functions" : set.joined(separator: ", ")
    }

    /// Whether the policy is about SGX: a feature of leaf 0x12 or the SGX bit was enabled.
    static func concerns(_ composition: GuestComposition) -> Bool {
        composition.enabledFeatures.contains { feature in
            guard let field = feature.field else { return false }
            return field.leaf == 0x12 || field == CPUIDField(0x7, 0, .ebx, bit: 2)
        }
    }
}

enum GuestVerificationText {
    static func render(_ verification: GuestVerification, directory: GuestFeatureTable) -> String {
        let composition = verification.composition
        let probe = verification.probe
        var lines: [String] = []
        lines.append("base: \(composition.base.name)")
        if !composition.steps.isEmpty {
            lines.append("edits:")
            lines.append(GuestRendering.steps(composition))
        }
        lines += GuestRendering.notes(composition)
        let changes = probe.application.changes
        let changedRegisters = changes.filter { if case .changed = $0.kind { !$0.isRunTimeField } else { false } }
        let runTimeRegisters = changes.filter(\.isRunTimeField)
        var applied = "KVM_SET_CPUID2: accepted \(composition.table.count) entries; KVM_GET_CPUID2: "
        if changes.isEmpty {
            applied += "the same table"
        } else {
            applied += "\(changedRegisters.count) registers changed by KVM, \(runTimeRegisters.count) run-time fields"
        }
        lines.append(applied)
        for change in changes {
            switch change.kind {
            case .changed: continue
            case .added, .dropped, .flagChanged: lines.append("  \(change)")
            }
        }
        let tableCount = probe.comparison.tableFindings.count
        lines.append("guest: ran CPUID for \(probe.targets.count) inputs (\(tableCount) table entries, "
            + "\(probe.targets.count - tableCount) out of range) in \(probe.exits) KVM exits")
        if SGXLeafBits.concerns(composition) {
            if let seen = verification.observed(0x12, 0) {
                lines.append("SGX: the guest saw CPUID.(EAX=12H,ECX=0):EAX = \(Hex.word(seen.eax)) (\(SGXLeafBits.describe(seen.eax)))")
            }
            if let attributes = verification.observed(0x12, 1) {
                let notify = attributes.eax & (1 << 10) != 0 ? "AEXNOTIFY offered" : "no AEXNOTIFY"
                lines.append("SGX: the guest saw CPUID.(EAX=12H,ECX=1):EAX = \(Hex.word(attributes.eax)) (\(notify))")
            }
        }
        let runTime = probe.comparison.runTimeDifferences
        if !runTime.isEmpty {
            lines.append("expected run-time fields (KVM fills these in while the guest runs):")
            lines.append(alignedColumns(runTime.map { ["  \($0.key)", $0.difference.description] }))
        }
        let deviations = probe.comparison.outOfRangeDeviations
        for finding in probe.comparison.outOfRangeFindings {
            let rule = finding.observedRule ?? finding.rule
            let note = deviations.contains(finding) ? " (this KVM's behaviour; upstream: \(finding.rule))" : ""
            lines.append("out of range: \(finding.target) → \(rule)\(note)")
        }
        for finding in verification.entriesChangedByKVM {
            for difference in finding.changedByKVM {
                lines.append("changed by KVM \(finding.target.key): \(difference)\(fieldNames(finding.target.key, difference, directory))")
            }
        }
        for feature in verification.overriddenByKVM {
            let wanted = verification.composition.enabledFeatures.contains(feature) ? "enabled" : "disabled"
            let what = wanted == "enabled" ? "cleared" : "set"
            lines.append("warning: \(feature) was \(wanted), but KVM \(what) it when it took the table (the guest sees KVM's value)")
        }
        lines += GuestMSRText.findings(verification.msrFindings)
        if verification.passed {
            let changed = verification.entriesChangedByKVM.count
            let detail = changed == 0 ? ""
                : " (\(verification.exactEntries) exactly as the table, \(changed) as KVM_GET_CPUID2 showed KVM changed them)"
            lines.append("verified: \(verification.verifiedEntries) entries as set\(detail)")
        } else if verification.failures.isEmpty, verification.verifiedEntries == verification.entryCount {
            lines.append("verified: \(verification.verifiedEntries) entries as set; NOT verified: "
                + "\(verification.msrMismatches.count) feature-MSR mismatches, "
                + "\(verification.msrPlan?.requestedRefusals.count ?? 0) requested MSRs KVM will refuse")
        } else {
            lines.append("NOT verified: \(verification.failures.count) of \(probe.targets.count) probes differ "
                + "(\(verification.verifiedEntries) of \(verification.entryCount) entries as set)")
            for finding in verification.failures {
                for difference in finding.mismatches {
                    lines.append("  mismatch \(finding.target): \(difference)\(fieldNames(finding.target.key, difference, directory))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// ` [SGX2, EDECCSSA]`: the features whose bits differ, when the directory knows them.
    static func fieldNames(_ key: LeafKey, _ difference: RegisterDifference, _ directory: GuestFeatureTable) -> String {
        var names: [String] = []
        for bit in 0..<32 where difference.bits & (1 << UInt32(bit)) != 0 {
            if let feature = directory.feature(at: CPUIDField(key.leaf, key.subleaf, difference.register, bit: bit)) {
                names.append(feature.macro)
            }
        }
        return names.isEmpty ? "" : " [\(names.joined(separator: ", "))]"
    }
}

struct GuestVerificationJSON: Encodable {
    struct Difference: Encodable {
        var input: String
        var kind: String
        var register: String
        var table: String
        var guest: String
        var bits: String
    }

    struct RunTime: Encodable {
        var input: String
        var field: String
        var follows: String
        var table: String
        var guest: String
    }

    var passed: Bool
    var verified: Int
    var entries: Int
    var base: String
    var steps: [GuestRendering.StepJSON]
    var warnings: [String]
    var kvmChanges: [String]
    var runTimeFields: [RunTime]
    var outOfRange: [String]
    /// Real mismatches and the bits KVM announced it changed, each labelled with its kind.
    var differences: [Difference]
    var exactEntries: Int
    var overriddenFeatures: [String]
    var sgxLeaf0EAX: String?
    var sgxLeaf1EAX: String?
    var featureMSRs: [MSRFinding]

    struct MSRFinding: Encodable {
        var msr: String
        var name: String
        var value: String
        var requested: Bool
        var written: Bool
        var readBack: String?
        var guest: String
        var verdict: String
        var rule: String?
    }

    init(_ verification: GuestVerification, directory: GuestFeatureTable) {
        let composition = verification.composition
        passed = verification.passed
        verified = verification.verifiedEntries
        entries = verification.entryCount
        base = composition.base.name
        steps = composition.steps.map { GuestRendering.StepJSON(edit: $0.edit, changes: $0.changes) }
        warnings = GuestRendering.notes(composition)
        kvmChanges = verification.probe.application.changes.map(\.description)
        runTimeFields = verification.probe.comparison.runTimeDifferences.map {
            RunTime(input: $0.key.description, field: $0.difference.field.name, follows: $0.difference.field.follows,
                    table: Hex.word($0.difference.expected), guest: Hex.word($0.difference.observed))
        }
        outOfRange = verification.probe.comparison.outOfRangeFindings.map { "\($0.target): \($0.observedRule ?? $0.rule)" }
        var differences: [Difference] = []
        for finding in verification.failures + verification.entriesChangedByKVM {
            let labelled = finding.mismatches.map { ("mismatch", $0) } + finding.changedByKVM.map { ("changed by KVM", $0) }
            for (kind, difference) in labelled {
                differences.append(Difference(input: finding.target.description, kind: kind,
                                              register: difference.register.description,
                                              table: Hex.word(difference.expected), guest: Hex.word(difference.observed),
                                              bits: Hex.word(difference.bits)))
            }
        }
        self.differences = differences
        exactEntries = verification.exactEntries
        overriddenFeatures = verification.overriddenByKVM.map(\.macro)
        let concernsSGX = SGXLeafBits.concerns(composition)
        sgxLeaf0EAX = concernsSGX ? verification.observed(0x12, 0).map { Hex.word($0.eax) } : nil
        sgxLeaf1EAX = concernsSGX ? verification.observed(0x12, 1).map { Hex.word($0.eax) } : nil
        featureMSRs = verification.msrFindings.map { finding in
            let (verdict, rule): (String, String?) = switch finding.verdict {
            case .asSet: ("asSet", nil)
            case let .faultedAsPredicted(rule): ("faultedAsPredicted", rule)
            case let .refusedAsPredicted(rule): ("refusedAsPredicted", rule)
            case let .mismatch(what): ("mismatch", what)
            }
            return MSRFinding(msr: Hex.word(finding.item.msr.index), name: FeatureMSRNames.name(of: finding.item.msr.index),
                              value: finding.item.msr.value.description, requested: finding.item.requested,
                              written: finding.item.refusal == nil, readBack: finding.readBack.map(Hex.quad),
                              guest: finding.guest.description, verdict: verdict, rule: rule)
        }
    }
}
