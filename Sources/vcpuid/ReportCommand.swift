import ArgumentParser
import CPUID

/// `vcpuid` / `vcpuid report`: the one-screen summary of this machine.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarize this machine: CPU identity and leaf ranges (the default command)."
    )

    func run() throws {
        guard CPUIDInstruction.isAvailable else {
            throw ValidationError("this build of vcpuid is not for x86: there is no CPUID instruction to run")
        }
        var entries: [CPUIDEntry] = []
        let maxBasic = CPUIDInstruction.execute(0).eax
        for leaf in [UInt32(0), 1] where leaf <= maxBasic {
            let r = CPUIDInstruction.execute(leaf)
            entries.append(CPUIDEntry(leaf: leaf, eax: r.eax, ebx: r.ebx, ecx: r.ecx, edx: r.edx))
        }
        let maxExtended = CPUIDInstruction.execute(0x8000_0000).eax
        for leaf in UInt32(0x8000_0000)...0x8000_0004 where leaf <= maxExtended {
            let r = CPUIDInstruction.execute(leaf)
            entries.append(CPUIDEntry(leaf: leaf, eax: r.eax, ebx: r.ebx, ecx: r.ecx, edx: r.edx))
        }
        let snapshot = Snapshot(entries)
        print("CPU        \(snapshot.brand ?? "(no brand string)")")
        print("vendor     \(snapshot.vendor)")
        print("signature  \(snapshot.signature)")
        print("leaves     basic up to \(Hex.word(snapshot.maxBasicLeaf)), extended up to \(Hex.word(snapshot.maxExtendedLeaf))")
    }
}
