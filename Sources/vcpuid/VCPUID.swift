import ArgumentParser

@main
struct VCPUID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcpuid",
        abstract: "x86 CPU features from the silicon to a KVM guest and an SGX enclave.",
        discussion: """
            With no subcommand, prints a report on this machine: the CPU, what Linux makes of it, \
            what KVM offers a guest, and whether an enclave could use AEX-Notify.
            """,
        subcommands: [
            ReportCommand.self,
            FlagsCommand.self,
            ExplainCommand.self,
            KernelsCommand.self,
            DumpCommand.self,
            ConvertCommand.self,
            DecodeCommand.self,
            SGXCommand.self,
            KVMCommand.self,
            GuestCommand.self,
            QEMUCommand.self,
            DiffCommand.self,
            BaselineCommand.self,
            CompareCommand.self,
            LabelsCommand.self,
            FleetCommand.self,
        ],
        defaultSubcommand: ReportCommand.self
    )

    /// Parses the command line after one spelling rewrite: `vcpuid sgx --guest ...` is `vcpuid sgx guest ...`.
    static func main() {
        main(QEMUCommand.protectingCPULines(SGXGuestCommand.rewritingGuestFlag(Array(CommandLine.arguments.dropFirst()))))
    }
}
