import ArgumentParser

/// `vcpuid guest`: the VMM side — decide what a guest gets, refuse what cannot work, prove what it sees.
struct GuestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guest",
        abstract: "Compose, check, export and verify a guest CPUID table.",
        discussion: """
            Policy options (all subcommands): --base live|host|FILE, --enable, --disable, --set, --template, \
            --allow-unsupported. The default base is KVM_GET_SUPPORTED_CPUID of this machine.
            """,
        subcommands: [GuestShowCommand.self, GuestVerifyCommand.self, GuestExportCommand.self]
    )
}
