import ArgumentParser

/// `vcpuid sgx`: SGX capabilities of a CPUID view, and the executable enclave-thread model.
struct SGXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgx",
        abstract: "SGX: the capability report (AEX-Notify usable?), scenarios and the explorer of the thread model.",
        discussion: """
            `vcpuid sgx` reports what a CPUID view enumerates about SGX and whether enclaves can use AEX-Notify; \
            `vcpuid sgx --guest [policy]` (or `vcpuid sgx guest`) does it for a composed guest table. \
            `vcpuid sgx simulate FILE` runs a scenario (EENTER, AEX, ERESUME, EDECCSSA, EEXIT, ...) on the model \
            of an enclave thread; `vcpuid sgx explore` checks the model's invariants over every operation sequence.
            """,
        subcommands: [SGXReportCommand.self, SGXGuestCommand.self, SGXSimulateCommand.self, SGXExploreCommand.self],
        defaultSubcommand: SGXReportCommand.self
    )
}
