import ArgumentParser

/// `vcpuid kvm`: what this machine's KVM offers a guest, and (from other subcommands) the model of it.
struct KVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kvm",
        abstract: "What KVM offers a guest: the live /dev/kvm tables and the model of them.",
        discussion: """
            The live subcommands open /dev/kvm (root or the kvm group); they explain what to do when it is \
            missing or refused.
            """,
        subcommands: [
            KVMSupportedCommand.self,
            KVMPredictCommand.self,
            KVMExplainCommand.self,
            KVMDiffCommand.self,
        ]
    )
}
