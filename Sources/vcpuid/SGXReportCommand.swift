import ArgumentParser
import CPUID
import SGX

/// `vcpuid sgx [FILE]`: the SGX capability report for a CPUID view.
struct SGXReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "What a CPUID view enumerates about SGX, and whether enclaves can use AEX-Notify."
    )

    func run() throws {
        throw ValidationError("the SGX report needs the dump readers; not wired yet")
    }
}
