import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import CPUID
import KVM
import X86Features

/// The options every `vcpuid guest` subcommand takes to build a guest table: a base and ordered edits.
struct GuestPolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The table to start from: 'live' (KVM_GET_SUPPORTED_CPUID here, asked on CPU 0), 'host' (CPU 0's own CPUID), or a dump file. With --kernel: the supported table that release's KVM would report (vcpuid's model) for this machine's CPUID or the --base dump.",
                               valueName: "live|host|file"))
    var base: String = "live"

    /// `--kernel`: also starts from the supported table that release's KVM would report (vcpuid's model), for
    /// this machine's CPUID or for the --base dump.
    @OptionGroup var kernelOptions: KernelOptions

    var kernel: KernelVersion? { kernelOptions.kernel }

    @Option(help: ArgumentHelp("With --kernel: the vendor module to model, intel, amd or pvm (default: the loaded one, else the host's vendor).", valueName: "intel|amd|pvm"))
    var module: String?

    @Option(name: .customLong("input-format"), help: "The base dump's format when detection should not guess.")
    var inputFormat: DumpFormat?

    @Option(parsing: .singleValue, help: ArgumentHelp("Turn features on (macro, /proc or QEMU names, or feature-MSR bits such as arch_capabilities.mds_no; comma-separated lists allowed).", valueName: "names"),
            transform: TypedInOrder.init)
    var enable: [TypedInOrder] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("Turn features off, and everything that depends on them.", valueName: "names"),
            transform: TypedInOrder.init)
    var disable: [TypedInOrder] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("Write a register or bit range as is, e.g. 0x12.0.eax=0x803 or 0x7.0.ebx[2]=1; or a feature MSR, e.g. msr.0x10a=0x69 or msr.0x10a[5]=0.", valueName: "leaf.subleaf.reg[bits]=value"),
            transform: TypedInOrder.init)
    var set: [TypedInOrder] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("Apply a Firecracker custom CPU template's cpuid_modifiers and msr_modifiers.", valueName: "file"),
            transform: TypedInOrder.init)
    var template: [TypedInOrder] = []

    @Flag(name: .customLong("allow-unsupported"), help: "Enabling a feature the base lacks is a warning instead of an error.")
    var allowUnsupported = false

    func validate() throws {
        if inputFormat != nil, ["live", "host"].contains(base) {
            throw ValidationError("--input-format applies to a dump file base; --base is \(base)")
        }
        if let module {
            guard kernel != nil else { throw ValidationError("--module applies to a predicted base; give --kernel too") }
            guard Self.modules[module] != nil else { throw ValidationError("--module must be intel, amd or pvm, not '\(module)'") }
        }
    }

    static let modules: [String: KVMModuleOptions.Module] = ["intel": .kvmIntel, "amd": .kvmAMD, "pvm": .kvmPVM]

    /// Splits `a,b , c` into names.
    static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// The edits in the order they were typed: each value carries its position from the parser.
    func policy() throws -> GuestPolicy {
        enum Kind { case enable, disable, set, template }
        let typed = enable.map { (Kind.enable, $0) } + disable.map { (Kind.disable, $0) }
            + set.map { (Kind.set, $0) } + template.map { (Kind.template, $0) }
        var edits: [GuestPolicy.Edit] = []
        for (kind, value) in typed.sorted(by: { $0.1.position < $1.1.position }) {
            switch kind {
            case .enable: edits.append(.enable(Self.names(value.text)))
            case .disable: edits.append(.disable(Self.names(value.text)))
            case .set where MSRAssignment.isMSRText(value.text):
                do { edits.append(.setMSR(try MSRAssignment(parsing: value.text))) } catch { throw ValidationError(error.description) }
            case .set:
                do { edits.append(.set(try RegisterAssignment(parsing: value.text))) } catch { throw ValidationError(error.description) }
            case .template: edits.append(.template(try FirecrackerTemplate.read(path: value.text), path: value.text))
            }
        }
        return GuestPolicy(edits: edits, allowUnsupported: allowUnsupported)
    }

    /// The kernel whose feature names and dependency rows apply: --kernel's, else the running one (the newest
    /// carried profile when neither is known).
    var kernelProfile: KernelProfile {
        KernelOptions.resolve(kernel, live: true).profile
    }

    func loadBase() throws -> GuestBase {
        if kernel != nil {
            let host: GuestBase = switch base {
            case "live", "host": try GuestBase.host()
            default: try GuestBase.file(path: base, format: inputFormat)
            }
            let hostName = host.kind == .file ? base : "this machine"
            let options = module.flatMap { Self.modules[$0] }.map { KVMModuleOptions(module: $0) }
                ?? KVMModuleOptions.guess(for: host.snapshot, loaded: host.kind == .file ? nil : .detect())
            return GuestBase.predicted(host: host.snapshot, hostName: hostName, kernel: kernelProfile, module: options)
        }
        switch base {
        case "live":
            let loaded = KVMModuleInfo.detect()
            let live = try GuestBase.live(module: loaded)
            return live.explainedByModel(host: { try? LiveCPU.snapshot(cpu: 0) }, kernel: kernelProfile,
                                         module: .guess(for: live.snapshot, loaded: loaded))
        case "host": return try GuestBase.host()
        default: return try GuestBase.file(path: base, format: inputFormat)
        }
    }

    /// Loads the base, reads the edits and composes: everything `show`, `verify` and `export` start with.
    /// The kernel's own tables name most features; the full catalogue (QEMU names, suggestions) is built
    /// only when `qemuNames` is asked for or a name needs it, which keeps a plain `verify` quick to start.
    func compose(qemuNames: Bool = false) throws -> (GuestComposition, GuestFeatureTable) {
        let kernel = kernelProfile
        let policy = try policy()
        let quick = GuestFeatureTable(kernelOnly: kernel)
        let names = policy.edits.flatMap { edit -> [String] in
            switch edit {
            case let .enable(list), let .disable(list): list
            case .set, .setMSR, .template: []
            }
        }
        let directory = qemuNames || names.contains(where: { quick.feature(named: $0) == nil })
            ? GuestFeatureTable(kernel: kernel) : quick
        let base = try loadBase()
        return (try GuestTableComposer(directory: directory).compose(policy, on: base), directory)
    }
}

extension GuestPolicyOptions {
    /// The kernel and module whose feature-MSR rules apply to the table: --kernel and --module when given,
    /// else the running kernel and the loaded module (else the newest carried release and the base's vendor).
    func msrPlan(for composition: GuestComposition) -> GuestMSRPlan {
        let kernel = self.kernel ?? KernelVersion.running() ?? KernelRelease.carried.last!.version
        let which = module.flatMap { Self.modules[$0] }
            ?? KVMModuleOptions.guess(for: composition.table, loaded: composition.base.kind == .file ? nil : .detect()).module
        return GuestMSRPlan(composition: composition, kernel: kernel, module: which,
                            named: (try? policy().namedMSRs) ?? [])
    }
}

/// Text lines for a table's feature MSRs: the value, the change from the base, and what KVM will do.
enum GuestMSRText {
    static func plan(_ plan: GuestMSRPlan) -> [String] {
        guard !plan.items.isEmpty else { return [] }
        var lines = ["feature MSRs: \(plan.items.count) (rules of Linux \(plan.kernel) \(plan.module.rawValue))"]
        for item in plan.items {
            let mark = item.requested ? "*" : " "
            var line = "\(mark) 0x\(Hex.digits(item.msr.index, count: 8))  \(FeatureMSRNames.name(of: item.msr.index).padded(to: 24))  \(item.msr.value)"
            if let refusal = item.refusal { line += "  KVM will refuse it: \(refusal.rule)" }
            else if case let .faults(rule) = item.guestRead { line += "  guest RDMSR takes #GP: \(rule)" }
            lines.append(line)
        }
        return lines
    }

    static func findings(_ findings: [GuestMSRFinding]) -> [String] {
        guard !findings.isEmpty else { return [] }
        let asSet = findings.filter { $0.verdict == .asSet }.count
        var lines = ["feature MSRs: \(findings.count) read by the guest with RDMSR (\(asSet) as set)"]
        for finding in findings {
            let name = "0x\(Hex.digits(finding.item.msr.index, count: 8)) \(FeatureMSRNames.name(of: finding.item.msr.index))"
            switch finding.verdict {
            case .asSet:
                lines.append("  as set     \(name) = \(finding.guest)")
            case let .faultedAsPredicted(rule):
                lines.append("  #GP        \(name): as predicted — \(rule)")
            case let .refusedAsPredicted(rule):
                let asked = finding.item.requested ? "the policy's" : "the base's"
                lines.append("  refused    \(name) = \(finding.item.msr.value) (\(asked) value) left out of KVM_SET_MSRS before asking: \(rule); the guest's RDMSR gave \(finding.guest)")
            case let .mismatch(what):
                lines.append("  MISMATCH   \(name): \(what)")
            }
        }
        return lines
    }
}
