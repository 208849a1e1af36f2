import ArgumentParser
import CPUID
import KVM
import SGX
import X86Features

/// `vcpuid sgx guest [policy]` (also spelled `vcpuid sgx --guest [policy]`): the SGX capability report for the
/// guest table the guest policy composes, i.e. what such a guest would be told and whether it could use AEX-Notify.
struct SGXGuestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guest",
        abstract: "The SGX report for a guest table composed by the guest policy options (what the guest is told).",
        discussion: """
            Takes the options of `vcpuid guest show` (--base, --kernel, --module, --enable, --disable, --set, \
            --template, --allow-unsupported), composes the guest table and reports on it. Beyond the table's own \
            bits, a guest needs an EPC section from the VMM (KVM's supported table never has one), a host KVM \
            from Linux 6.2 on that offers EDECCSSA and AEXNOTIFY, and a guest kernel from 6.2 on.
            Example: vcpuid sgx --guest --enable sgx,sgx1,sgx2,sgx-edeccssa --allow-unsupported
            """
    )

    @OptionGroup var policy: GuestPolicyOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let (composition, _) = try GuestRendering.compose(policy, json: json)
        let host = Self.host(of: composition.base, policy: policy)
        let report = SGXCapabilityReport(guestTable: composition.table, host: host)
        let origin = "a guest table composed from \(composition.base.name)"
        if json {
            var document = SGXReportDocument(report, origin: origin)
            document.guestEdits = composition.steps.map(\.edit)
            document.guestNotes = GuestRendering.notes(composition)
            print(try SGXTable.json(document))
            return
        }
        print("edits:")
        print(GuestRendering.steps(composition))
        for note in GuestRendering.notes(composition) { print(note) }
        print("")
        print(SGXReportCommand.render(report, origin: origin))
    }

    /// What is known of the host a composed table is meant for, by the kind of base it started from.
    static func host(of base: GuestBase, policy: GuestPolicyOptions) -> SGXGuestHost {
        let running = KernelVersion.running()
        switch base.kind {
        case .live:
            return SGXGuestHost(kernel: running, offered: base.snapshot, offeredName: base.name)
        case .predicted:
            return SGXGuestHost(kernel: policy.kernel, kernelIsModelled: true, offered: base.snapshot,
                                offeredName: base.name)
        case .host:
            return SGXGuestHost(kernel: running, offered: nil, offeredName: base.name)
        case .file:
            return SGXGuestHost(kernel: nil, offered: nil, offeredName: base.name)
        }
    }

    /// `vcpuid sgx [report] ... --guest ...` spelled as `vcpuid sgx guest ...`: the policy options are this
    /// command's, and the report's dump options (--input-format, a FILE) would clash with them, so `--guest`
    /// selects this command before parsing. Other command lines are returned unchanged.
    static func rewritingGuestFlag(_ arguments: [String]) -> [String] {
        guard arguments.first == "sgx" else { return arguments }
        let otherSubcommands = SGXCommand.configuration.subcommands.compactMap { $0.configuration.commandName }.filter { $0 != "report" }
        if arguments.count > 1, otherSubcommands.contains(arguments[1]) { return arguments }
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        guard let flag = arguments[..<end].firstIndex(of: "--guest") else { return arguments }
        var rest = arguments
        rest.remove(at: flag)
        rest.removeFirst()
        if rest.first == "report" { rest.removeFirst() }
        return ["sgx", "guest"] + rest
    }
}
