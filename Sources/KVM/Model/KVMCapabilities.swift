import CPUID

/// KVM's capability array (`kvm_cpu_caps`) as one kernel computes it for one host and module, with the
/// trace of every bit. `cpuid_entry_override()` copies these words into the supported table.
public struct KVMCapabilities: Sendable {
    public private(set) var values: [KVMCapabilityWord: UInt32] = [:]
    public private(set) var traces: [KVMCapabilityWord: [KVMCapabilityTrace]] = [:]

    /// The word's value; 0 for a word this kernel does not keep.
    public func value(_ word: KVMCapabilityWord) -> UInt32 { values[word] ?? 0 }

    /// `kvm_cpu_cap_has()`.
    public func has(_ word: KVMCapabilityWord, bit: Int) -> Bool { value(word) & (1 << UInt32(bit)) != 0 }

    /// `kvm_cpu_cap_has(X86_FEATURE_<macro>)` for a macro the tables name.
    public func has(_ macro: String) -> Bool { trace(macro: macro)?.offered ?? false }

    public func trace(_ word: KVMCapabilityWord, bit: Int) -> KVMCapabilityTrace? {
        guard let list = traces[word], bit < list.count else { return nil }
        return list[bit]
    }

    /// The trace of the bit a macro names (the first word that names it, as the tables list them).
    public func trace(macro: String) -> KVMCapabilityTrace? {
        let wanted = macro.uppercased()
        for (_, list) in traces.sorted(by: { $0.key.name < $1.key.name }) {
            if let hit = list.first(where: { $0.macro == wanted }) { return hit }
        }
        return nil
    }

    /// Runs kvm_set_cpu_caps() and the vendor module's *_set_cpu_caps() of `profile`.
    public static func compute(profile: KVMKernelProfile, host: KVMHostFacts, module: KVMModuleOptions) -> Self {
        var caps = KVMCapabilities()
        for initializer in profile.initializers {
            caps.initialize(initializer, profile: profile, host: host)
        }
        for adjustment in profile.adjustments + (profile.vendorAdjustments[module.module] ?? []) {
            caps.apply(adjustment, host: host, module: module)
        }
        return caps
    }

    // MARK: - kvm_cpu_cap_init / kvm_cpu_cap_mask

    private mutating func initialize(_ initializer: KVMCapabilityInit, profile: KVMKernelProfile, host: KVMHostFacts) {
        let word = initializer.word
        let raw = RawRegister.read(word, style: initializer.style, host: host)
        let kernelValue = word.kernelWord.map { host.kernel.capabilityWord($0) }
        let location = word.location
        var value: UInt32 = 0
        var list: [KVMCapabilityTrace] = []
        for bit in 0..<32 {
            let mask = UInt32(1) << UInt32(bit)
            let row = initializer.row(bit: bit)
            var steps: [String] = []
            let inMask = Self.maskStep(row, word: word, profile: profile, host: host, steps: &steps)
            let rawHas = raw.value & mask != 0
            let kernelHas = kernelValue.map { $0 & mask != 0 }
            var offered: Bool
            switch initializer.style {
            case .mask:
                offered = inMask
                if let kernelHas, inMask {
                    steps.append("host kernel word \(word.kernelWord ?? 0) \(kernelHas ? "has" : "lacks") it")
                    offered = offered && kernelHas
                }
                if offered {
                    steps.append("raw host \(location) \(rawHas ? "has" : "lacks") bit \(bit)\(raw.note)")
                    offered = rawHas
                }
            case .kvmDefined:
                offered = inMask
                if offered {
                    steps.append("raw host \(location) \(rawHas ? "has" : "lacks") bit \(bit)\(raw.note)")
                    offered = rawHas
                }
            case .initializer:
                let kind = row?.kind
                offered = inMask
                if let kernelHas, inMask, kind != .emulated {
                    steps.append("host kernel word \(word.kernelWord ?? 0) \(kernelHas ? "has" : "lacks") it")
                    offered = offered && kernelHas
                }
                if kind == .passthrough {
                    steps.append("PASSTHROUGH_F: kept whatever the host kernel uses")
                    offered = true
                }
                if offered, kind != .emulated {
                    if kind == .synthesized {
                        steps.append("SYNTHESIZED_F: kept even if raw CPUID lacks it")
                    } else {
                        steps.append("raw host \(location) \(rawHas ? "has" : "lacks") bit \(bit)\(raw.note)")
                        offered = rawHas
                    }
                }
                if kind == .emulated {
                    steps.append("EMULATED_F: KVM emulates it, whatever the host has")
                    offered = true
                }
            }
            if offered { value |= mask }
            var trace = KVMCapabilityTrace(word: word, bit: bit, macro: row?.macro, offered: offered, steps: steps,
                                           kind: row?.kind)
            trace.maskHas = inMask
            if inMask {
                if initializer.style != .kvmDefined, row?.kind != .emulated { trace.kernelHas = kernelHas }
                if row?.kind != .emulated, row?.kind != .synthesized { trace.rawHas = rawHas }
            }
            list.append(trace)
        }
        values[word] = value
        traces[word] = list
    }

    /// The first step: whether the kernel's call for this word puts the bit in its mask.
    private static func maskStep(_ row: KVMCapabilityRow?, word: KVMCapabilityWord, profile: KVMKernelProfile,
                                 host: KVMHostFacts, steps: inout [String]) -> Bool {
        guard let row else {
            steps.append("KVM's \(word.name) mask in Linux \(profile.version) lacks this bit")
            return false
        }
        switch row.kind {
        case .vendor:
            steps.append("\(row): left to the vendor module")
            return false
        case .runtime:
            steps.append("\(row): changed at run time, never advertised")
            return false
        case .scattered:
            let answer = host.has(row.macro)
            steps.append("KVM's \(word.name) mask has \(row) only if the host kernel has it: \(answer.basis)")
            return answer.value
        default:
            steps.append("KVM's \(word.name) mask has \(row)")
            return true
        }
    }

    // MARK: - kvm_cpu_cap_set / clear

    private mutating func apply(_ adjustment: KVMCapabilityAdjustment, host: KVMHostFacts, module: KVMModuleOptions) {
        let word = adjustment.word
        guard var list = traces[word], adjustment.bit < list.count else { return }
        let (applies, basis) = Self.evaluate(adjustment.condition, host: host, module: module)
        guard applies else { return }
        var trace = list[adjustment.bit]
        if trace.macro == nil { trace.macro = adjustment.macro }
        let mask = UInt32(1) << UInt32(adjustment.bit)
        let prefix = "\(adjustment.source): \(adjustment.action.rawValue)(\(adjustment.macro))"
        let verb = adjustment.action == .clear ? "clears" : "sets"
        if adjustment.action != .checkAndSet || host.has(adjustment.macro).value {
            trace.adjustedBy = "\(adjustment.source) \(verb) it (\(basis)): \(adjustment.why)"
        }
        switch adjustment.action {
        case .set:
            trace.offered = true
            trace.steps.append("\(prefix) because \(basis) — \(adjustment.why)")
        case .clear:
            trace.offered = false
            trace.steps.append("\(prefix) because \(basis) — \(adjustment.why)")
        case .checkAndSet:
            let answer = host.has(adjustment.macro)
            if answer.value { trace.offered = true }
            trace.steps.append("\(prefix) because \(basis); \(answer.basis) — \(adjustment.why)")
        }
        values[word] = trace.offered ? (values[word] ?? 0) | mask : (values[word] ?? 0) & ~mask
        list[adjustment.bit] = trace
        traces[word] = list
    }

    static func evaluate(_ condition: KVMCondition, host: KVMHostFacts, module: KVMModuleOptions) -> (Bool, String) {
        switch condition {
        case .always:
            return (true, "it always does")
        case let .hostKernelHas(macro):
            let answer = host.has(macro)
            return (answer.value, answer.basis)
        case let .hostKernelLacks(macro):
            let answer = host.has(macro)
            return (!answer.value, answer.basis)
        case let .hostBug(name):
            let answer = host.bug(name)
            return (answer.value, answer.basis)
        case let .hostLacksBug(name):
            let answer = host.bug(name)
            return (!answer.value, answer.basis)
        case let .rawHas(field, name):
            let value = host.raw.isSet(field)
            return (value, "the host CPU \(value ? "has" : "lacks") \(name)")
        case let .module(option):
            let value: Bool = switch option {
            case .sgxDisabled: !module.sgxEnabled
            case .nested: module.nested
            case .pmuDisabled: !module.enablePMU
            case .pmuEnabled: module.enablePMU
            case .tdpDisabled: !module.tdp
            case .tdpEnabled: module.tdp
            case .intelPTHostGuest: module.intelPTHostGuest
            case .hostFiveLevelPagingOff: !host.usesFiveLevelPaging.value
            }
            return (value, value ? option.description : "not (\(option.description))")
        case let .all(parts):
            var reasons: [String] = []
            for part in parts {
                let (value, basis) = evaluate(part, host: host, module: module)
                reasons.append(basis)
                if !value { return (false, reasons.joined(separator: ", ")) }
            }
            return (true, reasons.joined(separator: ", "))
        case let .any(parts):
            var reasons: [String] = []
            for part in parts {
                let (value, basis) = evaluate(part, host: host, module: module)
                if value { return (true, basis) }
                reasons.append(basis)
            }
            return (false, reasons.joined(separator: ", "))
        }
    }
}

/// The raw host register a capability word is ANDed with, read the way the kernel version reads it.
struct RawRegister {
    var value: UInt32
    /// Extra words for the trace when the read is not a plain lookup.
    var note: String

    static func read(_ word: KVMCapabilityWord, style: KVMCapabilityInit.Style, host: KVMHostFacts) -> RawRegister {
        let base = word.leaf & 0xffff_0000
        let max = host.raw.value(base, 0, .eax)
        let inRange = word.leaf <= max && (base == 0 || max & 0xffff_0000 == base)
        if inRange {
            return RawRegister(value: host.raw.value(word.leaf, word.subleaf, word.register), note: "")
        }
        switch style {
        case .initializer:
            return RawRegister(value: 0, note: " (0: the host's max leaf is below \(Hex.word(word.leaf)))")
        case .mask, .kvmDefined:
            // Before 6.13 the kernel executes CPUID regardless; Intel answers an out-of-range leaf with the
            // highest basic leaf, AMD with zeros.
            if host.vendor == .intel || host.vendor == .centaur || host.vendor == .zhaoxin {
                let top = host.raw.maxBasicLeaf
                let value = host.raw.value(top, word.subleaf, word.register)
                return RawRegister(value: value,
                                   note: " (out of range: Intel CPUs answer with leaf \(Hex.word(top)))")
            }
            return RawRegister(value: 0, note: " (out of range: the CPU answers zeros)")
        }
    }
}
