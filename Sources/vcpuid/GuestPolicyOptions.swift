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

    @Option(parsing: .singleValue, help: ArgumentHelp("Turn features on (macro, /proc or QEMU names; comma-separated lists allowed).", valueName: "names"))
    var enable: [String] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("Turn features off, and everything that depends on them.", valueName: "names"))
    var disable: [String] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("Write a register or bit range as is, e.g. 0x12.0.eax=0x803 or 0x7.0.ebx[2]=1.", valueName: "leaf.subleaf.reg[bits]=value"))
    var set: [String] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("Apply a Firecracker custom CPU template's cpuid_modifiers.", valueName: "file"))
    var template: [String] = []

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

    /// The edits in the order they were typed. ArgumentParser groups each option's values; the command line
    /// itself tells in which order the options came.
    func policy(arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws -> GuestPolicy {
        enum Kind { case enable, disable, set, template }
        var order: [Kind] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            for (spelling, kind) in [("--enable", Kind.enable), ("--disable", .disable), ("--set", .set), ("--template", .template)]
            where argument == spelling || argument.hasPrefix(spelling + "=") {
                order.append(kind)
                if argument == spelling { index += 1 }
            }
            index += 1
        }
        var queues: (enable: ArraySlice<String>, disable: ArraySlice<String>, set: ArraySlice<String>, template: ArraySlice<String>)
            = (enable[...], disable[...], set[...], template[...])
        var edits: [GuestPolicy.Edit] = []
        func edit(_ kind: Kind, _ value: String) throws {
            switch kind {
            case .enable: edits.append(.enable(Self.names(value)))
            case .disable: edits.append(.disable(Self.names(value)))
            case .set:
                do { edits.append(.set(try RegisterAssignment(parsing: value))) } catch { throw ValidationError(error.description) }
            case .template: edits.append(.template(try FirecrackerTemplate.read(path: value), path: value))
            }
        }
        for kind in order {
            switch kind {
            case .enable: if let value = queues.enable.popFirst() { try edit(kind, value) }
            case .disable: if let value = queues.disable.popFirst() { try edit(kind, value) }
            case .set: if let value = queues.set.popFirst() { try edit(kind, value) }
            case .template: if let value = queues.template.popFirst() { try edit(kind, value) }
            }
        }
        // Values the scan did not place (an unusual spelling) keep their option's own order at the end.
        for value in queues.disable { try edit(.disable, value) }
        for value in queues.enable { try edit(.enable, value) }
        for value in queues.set { try edit(.set, value) }
        for value in queues.template { try edit(.template, value) }
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
            case .set, .template: []
            }
        }
        let directory = qemuNames || names.contains(where: { quick.feature(named: $0) == nil })
            ? GuestFeatureTable(kernel: kernel) : quick
        let base = try loadBase()
        return (try GuestTableComposer(directory: directory).compose(policy, on: base), directory)
    }
}
