import ArgumentParser

/// `vcpuid qemu`: QEMU as a client of KVM — its named CPU models, and whether a `-cpu` line starts here.
struct QEMUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qemu",
        abstract: "QEMU's named CPU models, and whether QEMU will start a -cpu line on a host.",
        discussion: """
            The models come from the installed QEMU itself (QMP: query-cpu-definitions and \
            query-cpu-model-expansion, one process, no guest), cached per binary; without QEMU, from \
            vcpuid's bundled table (which names the QEMU release it was taken from).
            """,
        subcommands: [
            QEMUModelsCommand.self,
            QEMUCheckCommand.self,
            QEMURunnableCommand.self,
        ]
    )
}

extension QEMUCommand {
    /// A quoted QEMU option such as `"-cpu EPYC,+avx2"` would be read as flags; a leading space makes it the
    /// positional argument it is (every -cpu reader drops leading spaces).
    static func protectingCPULines(_ arguments: [String]) -> [String] {
        arguments.map { $0.hasPrefix("-cpu ") || $0.hasPrefix("-cpu=") ? " " + $0 : $0 }
    }
}

/// `--qemu PATH` and `--refresh`, shared by the qemu subcommands.
struct QEMUBinaryOptions: ParsableArguments {
    @Option(help: "The QEMU binary to ask (default /usr/bin/qemu-system-x86_64; its models are cached per binary).")
    var qemu = "/usr/bin/qemu-system-x86_64"

    @Flag(help: "Ask QEMU again even when its answer is cached.")
    var refresh = false
}
