import ArgumentParser

@main
struct VCPUID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcpuid",
        abstract: "x86 CPU features from the silicon to a KVM guest and an SGX enclave.",
        discussion: """
            With no subcommand, prints a report on this machine: the CPU, what Linux makes of it, \
            what KVM offers a guest, and whether an enclave could use AEX-Notify.

            A tour:
              vcpuid dump --format json        every CPUID leaf of this machine
              vcpuid flags                     the flags line Linux would print
              vcpuid explain sgx_edeccssa      where a feature lives, why it is set
              vcpuid kvm predict --kernel 6.1  what KVM 6.1 would offer a guest
              vcpuid guest verify              run a tiny guest, compare its CPUID
              vcpuid sgx explore --depth 12    check the enclave-thread model
            """,
        subcommands: [
            ReportCommand.self,
            FlagsCommand.self,
            ExplainCommand.self,
            DumpCommand.self,
            ConvertCommand.self,
            DecodeCommand.self,
            SGXCommand.self,
            KVMCommand.self,
            GuestCommand.self,
        ],
        defaultSubcommand: ReportCommand.self
    )

    static func main() {
        main(nil)
    }
}
