import CPUID
import X86Features

/// Whether a kernel's KVM offers one feature on a host, in one line and in full.
public struct KVMFeatureVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The feature as the user named it, lower-cased macro style (e.g. `sgx_edeccssa`).
    public var feature: String
    public var macro: String
    public var kernel: KernelVersion
    public var offered: Bool
    /// Where the bit lives in the supported table, when KVM has a word for it.
    public var field: CPUIDField?
    /// "offered by 6.2: host has it, kernel has it, mask has it" or "not offered by kernel 6.1 — …".
    public var summary: String
    /// The kernel's steps for the bit, in order.
    public var steps: [String]

    public var description: String { "\(feature): \(summary)" }
}

extension SupportedPrediction {
    /// Explains whether this prediction offers `feature` (macro, /proc or QEMU name); nil when no kernel
    /// profile and no catalogue entry knows the name.
    public func explain(_ feature: String) -> KVMFeatureVerdict? {
        guard let macro = Self.macro(for: feature) else { return nil }
        let shown = feature.lowercased().hasPrefix("x86_feature_") ? macro.lowercased() : feature.lowercased()
        let version = kernel.version
        guard let trace = capabilities.trace(macro: macro) else {
            if let (word, bit, first) = Self.firstProfile(naming: macro) {
                // No capability row in this kernel, but a leaf rule may still set the bit (6.1's
                // `entry->edx &= (1 << 8)` for 0x80000007's invariant TSC): the table is the answer.
                let field = word.field(bit: bit)
                if snapshot.isSet(field) {
                    let why = rule(for: field)?.summary ?? "the leaf's rule in __do_cpuid_func sets it"
                    return KVMFeatureVerdict(feature: shown, macro: macro, kernel: version, offered: true, field: field,
                                             summary: "offered by \(version): \(why)",
                                             steps: ["Linux \(version) KVM has no capability row for \(macro); \(why)"])
                }
                var summary = first > version
                    ? "not offered by kernel \(version) — KVM's \(word.name) mask lacks it before \(first)"
                    : "not offered by kernel \(version) — KVM's \(word.name) mask lacks it"
                let setters = kernel.vendorAdjustments
                    .filter { $0.value.contains { $0.macro == macro && $0.action != .clear } }
                    .map(\.key.rawValue).sorted()
                if !setters.isEmpty, first <= version {
                    summary = "not offered by kernel \(version) — KVM's \(word.name) mask lacks it and only "
                        + "\(setters.joined(separator: ", ")) sets it; the model is \(module.module.rawValue)"
                }
                return KVMFeatureVerdict(feature: shown, macro: macro, kernel: version, offered: false,
                                         field: word.field(bit: bit), summary: summary,
                                         steps: ["Linux \(version) KVM has no row for \(macro) in \(word.name) that applies here"])
            }
            return KVMFeatureVerdict(feature: shown, macro: macro, kernel: version, offered: false, field: nil,
                                     summary: "not offered by kernel \(version) — no KVM capability word has it",
                                     steps: ["\(macro) is in none of KVM's capability words in any modelled kernel"])
        }
        let field = trace.word.field(bit: trace.bit)
        let tableBit = snapshot.isSet(field)
        var summary: String
        if trace.offered {
            summary = "offered by \(version): " + Self.offeredParts(trace).joined(separator: ", ")
            if !tableBit, let rule = rule(for: field) {
                summary = "not offered by kernel \(version) — KVM's caps have it, but \(rule.summary)"
            } else if !tableBit {
                summary = "not offered by kernel \(version) — KVM's caps have it, but the table has no \(Hex.word(field.leaf)).\(field.subleaf) entry (the leaf lies above KVM's maximum)"
            }
        } else {
            summary = "not offered by kernel \(version) — " + Self.missingPart(trace, version: version)
        }
        return KVMFeatureVerdict(feature: shown, macro: macro, kernel: version, offered: trace.offered && tableBit,
                                 field: field, summary: summary, steps: trace.steps)
    }

    /// "host has it, kernel has it, mask has it", or the emulation/passthrough that stands in for them.
    static func offeredParts(_ trace: KVMCapabilityTrace) -> [String] {
        if let adjusted = trace.adjustedBy, !(trace.maskHas && trace.kernelHas != false && trace.rawHas != false) {
            return [adjusted]
        }
        switch trace.kind {
        case .emulated?: return ["KVM emulates it (EMULATED_F), whatever the host has"]
        case .synthesized?: return ["kernel has it, mask has it (SYNTHESIZED_F: raw CPUID not needed)"]
        case .passthrough?: return ["host has it, mask has it (PASSTHROUGH_F: the host kernel need not use it)"]
        default: break
        }
        var parts: [String] = []
        if trace.rawHas == true { parts.append("host has it") }
        if trace.kernelHas == true || trace.kind == .scattered { parts.append("kernel has it") }
        parts.append("mask has it")
        return parts
    }

    /// The first reason, in the kernel's order, that the bit is clear.
    static func missingPart(_ trace: KVMCapabilityTrace, version: KernelVersion) -> String {
        if let adjusted = trace.adjustedBy { return adjusted }
        let word = trace.word.name
        guard let kind = trace.kind else { return "KVM's \(word) mask lacks it" }
        switch kind {
        case .vendor: return "\(word) has it as VENDOR_F: only the vendor module could set it, and it does not here"
        case .runtime: return "it is a run-time bit (RUNTIME_F), never advertised"
        case .scattered where !trace.maskHas:
            return "the host kernel lacks \(trace.macro ?? "it") (SCATTERED_F needs boot_cpu_has)"
        default: break
        }
        if trace.kernelHas == false, kind != .passthrough {
            return "the host kernel lacks it (word \(trace.word.kernelWord ?? 0))"
        }
        if trace.rawHas == false, kind != .synthesized {
            return "the host CPU lacks it (\(trace.word.field(bit: trace.bit)) = 0)"
        }
        return trace.steps.last ?? "KVM's caps lack it"
    }

    /// The macro a user's name stands for: a macro any KVM table names, or the catalogue's answer.
    static func macro(for name: String) -> String? {
        var upper = name.uppercased()
        if upper.hasPrefix("X86_FEATURE_") { upper.removeFirst("X86_FEATURE_".count) }
        if firstProfile(naming: upper) != nil { return upper }
        if let feature = FeatureCatalogue.shared.lookup(name), feature.kind == .feature { return feature.name }
        return nil
    }

    /// The oldest profile whose tables (word rows, fix-ups, vendor fix-ups) name the macro, with its word and bit.
    static func firstProfile(naming macro: String) -> (KVMCapabilityWord, Int, KernelVersion)? {
        for profile in KVMKernelProfile.all {
            for initializer in profile.initializers {
                if let row = initializer.row(macro: macro) { return (initializer.word, row.bit, profile.version) }
            }
            let adjustments = profile.adjustments + profile.vendorAdjustments.sorted { $0.key.rawValue < $1.key.rawValue }
                .flatMap(\.value)
            if let hit = adjustments.first(where: { $0.macro == macro }) { return (hit.word, hit.bit, profile.version) }
        }
        return nil
    }
}
