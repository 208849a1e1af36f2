import ArgumentParser
import X86Features

/// `--kernel`, shared by every command that applies a Linux profile, and the one rule that picks it.
struct KernelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The Linux release to model: 5.15, v6.8, 6.8.12, 6.18.44-fc-v1045 (default: the running kernel for "
            + "this machine's CPU, the newest carried release for a file). See `vcpuid kernels`.",
        valueName: "release"))
    var kernel: KernelVersion?

    func validate() throws { if let kernel { try Self.check(kernel) } }

    /// The resolution for this command's input: `--kernel`, else the running kernel for live input, else
    /// the newest carried release.
    func resolve(live: Bool) -> KernelResolution { Self.resolve(kernel, live: live) }

    /// The one resolution rule, for commands whose `--kernel` belongs to another option group.
    static func resolve(_ requested: KernelVersion?, live: Bool) -> KernelResolution {
        if let requested { return KernelResolution(requested) }
        if live, let running = KernelVersion.running() { return KernelResolution(running) }
        return KernelResolution(KernelRelease.carried[KernelRelease.carried.count - 1].version)
    }

    /// Refuses a release older than every carried profile: its tables would be guesses.
    static func check(_ version: KernelVersion) throws {
        let oldest = KernelRelease.carried[0].version
        guard version.release >= oldest else {
            throw ValidationError("--kernel \(version): vcpuid carries Linux tables from \(oldest) on (see `vcpuid kernels`); \(version) is older")
        }
    }

    /// Prints the resolution's notes (substitution, point-release caveat) on standard error.
    static func announce(_ resolution: KernelResolution) {
        for note in resolution.notes { printToStandardError("note: \(note)") }
    }
}
