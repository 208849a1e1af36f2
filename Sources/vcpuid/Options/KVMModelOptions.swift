import ArgumentParser
import CPUID
import KVM
import X86Features

/// The kernel, module and host-kernel options every model command takes (predict, explain, diff).
struct KVMModelOptions: ParsableArguments {
    enum ModuleName: String, ExpressibleByArgument, CaseIterable {
        case intel, amd, pvm
    }

    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
        var isOn: Bool { self == .on }
    }

    enum Presence: String, ExpressibleByArgument, CaseIterable {
        case present, absent
    }

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "The vendor module: intel (kvm_intel), amd (kvm_amd) or pvm (kvm_pvm). Default: from the CPU vendor.")
    var module: ModuleName?

    @Option(help: "kvm_intel's sgx parameter.")
    var sgx: Switch = .on

    @Option(name: .customLong("encls-exiting"), help: "Whether the CPU has the VMX ENCLS-exiting control (kvm_intel turns SGX off without it).")
    var enclsExiting: Presence = .present

    @Option(help: "The nested parameter of kvm_intel/kvm_amd.")
    var nested: Switch = .on

    @Option(name: .customLong("pmu"), help: "kvm.enable_pmu.")
    var pmu: Switch = .on

    @Option(name: .customLong("clearcpuid"), parsing: .singleValue,
            help: "A clearcpuid= item of the host kernel's command line (repeatable): a /proc name or a feature number.")
    var clearCPUID: [String] = []

    func validate() throws {
        if let kernel = kernelOptions.kernel { _ = try choice(for: kernel) }
    }

    /// The KVM profile for `version`: the nearest modelled release not above it.
    func choice(for version: KernelVersion) throws -> KVMModelChoice {
        guard let choice = KVMModelChoice(for: version) else {
            let oldest = KVMKernelProfile.all[0].version
            throw ValidationError("the KVM model starts at Linux \(oldest); \(version) is older")
        }
        return choice
    }

    /// The KVM profile for the kernel asked for (or, for live input, the running one).
    func choice(live: Bool = true) throws -> KVMModelChoice { try choice(for: kernelVersion(live: live)) }

    /// The kernel version asked for; without --kernel the running kernel's (the model's host is this machine
    /// unless a dump is given, in which case the newest carried release).
    func kernelVersion(live: Bool = true) throws -> KernelVersion {
        KernelOptions.resolve(kernelOptions.kernel, live: live).requested
    }

    /// The module options, with the module chosen from the host's vendor when not given.
    func moduleOptions(for host: Snapshot) -> KVMModuleOptions {
        let which: KVMModuleOptions.Module = switch module {
        case .intel?: .kvmIntel
        case .amd?: .kvmAMD
        case .pvm?: .kvmPVM
        case nil: .default(for: host.cpuVendor)
        }
        return KVMModuleOptions(module: which, sgx: sgx.isOn, enclsExiting: enclsExiting == .present,
                                nested: nested.isOn, enablePMU: pmu.isOn)
    }

    /// `live`: the host is this machine (the default kernel is then the running one, else the newest carried).
    func predict(host: Snapshot, live: Bool) throws -> SupportedPrediction {
        try predict(host: host, module: moduleOptions(for: host), live: live)
    }

    func predict(host: Snapshot, module: KVMModuleOptions, live: Bool = true) throws -> SupportedPrediction {
        let resolution = KernelOptions.resolve(kernelOptions.kernel, live: live)
        let choice = try choice(for: resolution.requested)
        var prediction = KVMSupportedModel.predict(host: host, linux: resolution.profile, kvm: choice.profile, module: module,
                                                   bootOptions: BootOptions(clearCPUID: clearCPUID))
        prediction.notes.insert(contentsOf: resolution.notes, at: 0)
        prediction.notes.insert(choice.note, at: 0)
        return prediction
    }

    func title(_ prediction: SupportedPrediction) -> String {
        "model of KVM_GET_SUPPORTED_CPUID: Linux \(prediction.kernel.version) \(prediction.module)"
    }
}

/// Aligned-text rendering of the model's answers.
enum KVMModelText {
    static func prediction(_ p: SupportedPrediction, title: String, withRules: Bool) -> String {
        var lines = ["\(title): \(p.snapshot.count) entries"]
        for note in p.notes { lines.append("note: \(note)") }
        lines.append("leaf        subleaf  eax         ebx         ecx         edx         flags")
        for entry in p.snapshot.entries {
            let r = entry.registers
            lines.append("\(Hex.word(entry.leaf))  \(Hex.byte(entry.subleaf).padded(to: 7))  \(Hex.word(r.eax))  "
                + "\(Hex.word(r.ebx))  \(Hex.word(r.ecx))  \(Hex.word(r.edx))  \(entry.significantIndex ? "index" : "-")")
            guard withRules else { continue }
            for register in Register.allCases {
                for item in grouped(p.rules(entry.leaf, entry.subleaf, register)) {
                    lines.append("    \(register) \(Hex.word(item.mask))  \(item.text)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rules of one register, with the bits no KVM table names and KVM leaves out folded into one line.
    static func grouped(_ rules: [KVMFieldRule]) -> [(mask: UInt32, text: String)] {
        var result: [(mask: UInt32, text: String)] = []
        var unnamed: UInt32 = 0
        var word = ""
        for item in rules {
            if let trace = item.rule.capability, trace.macro == nil, trace.kind == nil, !trace.offered {
                unnamed |= item.mask
                word = trace.word.name
            } else {
                result.append((item.mask, ruleText(item.rule)))
            }
        }
        if unnamed != 0 { result.append((unnamed, "not in KVM's \(word) mask: not offered")) }
        return result
    }

    /// One line per rule; capability bits show their feature and outcome with the deciding step.
    static func ruleText(_ rule: KVMRule) -> String {
        if let trace = rule.capability {
            let last = trace.steps.last ?? ""
            return "\(trace.name): \(trace.offered ? "offered" : "not offered") — \(last)"
        }
        return "\(rule.source): \(rule.summary)"
    }
}

/// JSON rendering of the model's answers (stable key order, numbers as numbers).
enum KVMModelJSON {
    struct RuleDocument: Encodable {
        var bits: String
        var kind: String
        var source: String
        var summary: String
        var feature: String?
        var offered: Bool?
        var steps: [String]?

        init(_ item: KVMFieldRule) {
            bits = Hex.word(item.mask)
            kind = item.rule.kind.rawValue
            source = item.rule.source
            summary = item.rule.capability.map { "\($0.name): \($0.offered ? "offered" : "not offered")" } ?? item.rule.summary
            feature = item.rule.capability?.macro
            offered = item.rule.capability?.offered
            steps = item.rule.capability?.steps
        }
    }

    struct EntryDocument: Encodable {
        var leaf: String
        var subleaf: Int
        var indexed: Bool
        var eax: String
        var ebx: String
        var ecx: String
        var edx: String
        var rules: [String: [RuleDocument]]
    }

    struct PredictionDocument: Encodable {
        var title: String
        var kernel: String
        var module: String
        var notes: [String]
        var entries: [EntryDocument]
    }

    static func prediction(_ p: SupportedPrediction, title: String) throws -> String {
        let entries = p.snapshot.entries.map { entry in
            var rules: [String: [RuleDocument]] = [:]
            for register in Register.allCases {
                rules[register.description.lowercased()] = p.rules(entry.leaf, entry.subleaf, register).map(RuleDocument.init)
            }
            return EntryDocument(leaf: Hex.word(entry.leaf), subleaf: Int(entry.subleaf), indexed: entry.significantIndex,
                                 eax: Hex.word(entry.registers.eax), ebx: Hex.word(entry.registers.ebx),
                                 ecx: Hex.word(entry.registers.ecx), edx: Hex.word(entry.registers.edx), rules: rules)
        }
        let document = PredictionDocument(title: title, kernel: p.kernel.version.description,
                                          module: p.module.module.rawValue, notes: p.notes, entries: entries)
        return try prettyJSON(document)
    }
}

extension KVMModelOptions {
    /// The model of KVM's feature MSRs on /dev/kvm for `host`. For this machine (`live`), the host kernel's bug
    /// flags are the running kernel's own (/proc/cpuinfo), which is what kvm_get_arch_capabilities() reads.
    func predictFeatureMSRs(host: Snapshot, module: KVMModuleOptions, live: Bool) throws -> (msrs: [KVMFeatureMSRPrediction], notes: [String]) {
        let resolution = KernelOptions.resolve(kernelOptions.kernel, live: live)
        let view = LinuxDerivation.derive(host, kernel: resolution.profile, options: BootOptions(clearCPUID: clearCPUID))
        var hostKernel: any KVMHostKernelView = view
        var notes: [String] = []
        if live, kernelOptions.kernel == nil, let running = ProcBugsKernelView.running(base: view, kernel: resolution.profile) {
            hostKernel = running
            notes.append("host bug flags: the running kernel's /proc/cpuinfo")
        }
        let msrs = KVMFeatureMSRModel.predict(host: host, hostKernel: hostKernel, kernel: resolution.requested, module: module)
        return (msrs, notes)
    }
}

/// Aligned-text rendering of feature-MSR predictions and comparisons.
enum KVMFeatureMSRText {
    static func prediction(_ msrs: [KVMFeatureMSRPrediction]) -> [String] {
        var lines = ["feature MSRs (KVM_GET_MSR_FEATURE_INDEX_LIST, KVM_GET_MSRS on /dev/kvm): \(msrs.count)"]
        for msr in msrs {
            lines.append("  0x\(Hex.digits(msr.index, count: 8))  \(msr.name.padded(to: 28))  \(msr.valueText)"
                + ((0x480...0x492).contains(msr.index) ? "  (nested VMX capability; not modelled)" : ""))
            if msr.bits.isEmpty, !(0x480...0x492).contains(msr.index) {
                lines.append("      \(msr.valueRule)")
            }
            for bit in msr.bits where bit.value != false || bit.label != nil && bit.rule.contains("synthes") {
                let state = bit.value.map { $0 ? "1" : "0" } ?? "?"
                lines.append("      bit \(String(bit.number).padded(to: 2)) \(state) \((bit.label ?? "-").padded(to: 40)) \(bit.rule)")
            }
        }
        return lines
    }

    static func comparison(_ c: KVMFeatureMSRComparison) -> [String] {
        var lines = ["feature MSRs: live \(c.live.count), model \(c.model.count), differences \(c.differences.count)"]
        for msr in c.live {
            lines.append("  live 0x\(Hex.digits(msr.index, count: 8))  \(FeatureMSRNames.name(of: msr.index).padded(to: 24))  \(msr.value)")
        }
        for d in c.differences {
            switch d {
            case let .onlyLive(index): lines.append("  0x\(Hex.digits(index, count: 8)) only in the live list (the model has no rule listing it)")
            case let .onlyModel(index, because): lines.append("  0x\(Hex.digits(index, count: 8)) only in the model: \(because)")
            case let .faulted(index): lines.append("  0x\(Hex.digits(index, count: 8)) live KVM_GET_MSRS refused it")
            case let .bit(index, live, account):
                lines.append("  0x\(Hex.digits(index, count: 8)) bit \(account.number) \(account.label ?? "") live \(live ? 1 : 0), model \(live ? 0 : 1): \(account.rule)")
            }
        }
        for s in c.settledByLive {
            lines.append("  undecided in the model, live \(s.live ? 1 : 0): 0x\(Hex.digits(s.msr, count: 8)) bit \(s.account.number) \(s.account.label ?? ""): \(s.account.rule)")
        }
        return lines
    }
}
