import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid kvm supported`: KVM_GET_SUPPORTED_CPUID (or KVM_GET_EMULATED_CPUID) of this machine.
struct KVMSupportedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supported",
        abstract: "Print the CPUID table KVM can offer a guest on this machine (KVM_GET_SUPPORTED_CPUID).",
        discussion: """
            The default is an aligned table with each entry's KVM flags (index = the subleaf in ECX matters, \
            KVM_CPUID_FLAG_SIGNIFCANT_INDEX). --format raw|json|aida|libvirt prints the same formats as \
            `vcpuid dump`, so the output can be fed back to any command that reads a dump; JSON keeps the \
            index flag as "indexed".

            Examples:
              vcpuid kvm supported
              vcpuid kvm supported --emulated --format raw > emulated.cpuid
            """
    )

    enum Format: String, OutputFormatChoice {
        case table, raw, json, aida, libvirt

        static let help = "Output format: an aligned table with KVM's flags, or any dump format."

        var dumpFormat: DumpFormat? {
            switch self {
            case .table: nil
            case .raw: .cpuidRaw
            case .json: .json
            case .aida: .aida
            case .libvirt: .libvirt
            }
        }
    }

    @Flag(help: "Print KVM_GET_EMULATED_CPUID: what KVM emulates for a guest even where the host lacks it.")
    var emulated = false

    @OptionGroup var output: OutputOptions<Format>

    @Option(parsing: .unconditional, help: "Ask on this logical CPU: KVM passes that CPU's APIC IDs (1.EBX[31:24], 0xB EDX) through, so pin for reproducible tables.")
    var cpu: Int?

    @Option(help: "The KVM device to open.")
    var device = "/dev/kvm"

    @Flag(help: "Also list the feature MSRs (KVM_GET_MSR_FEATURE_INDEX_LIST) with the value KVM_GET_MSRS gives each; JSON, AIDA64 and libvirt output carry them.")
    var msrs = false

    func validate() throws {
        if let cpu, cpu < 0 { throw ValidationError("--cpu must be a CPU number (0 or more), not \(cpu)") }
    }

    func run() throws {
        let system = try KVMSystem(path: device)
        let query: KVMCPUIDQuery
        if let cpu {
            query = try system.cpuidQuery(emulated: emulated, onCPU: cpu)
        } else {
            query = emulated ? try system.emulatedCPUIDQuery() : try system.supportedCPUIDQuery()
        }
        let featureMSRs = msrs ? try system.featureMSRs() : []
        let chosen = output.chosen
        guard let dumpFormat = chosen.dumpFormat else {
            print(renderTable(query), terminator: "")
            if msrs { print(renderMSRs(featureMSRs), terminator: "") }
            return
        }
        let dump = Dump(snapshot: Snapshot(query.snapshot.entries, msrs: featureMSRs),
                        origin: emulated ? .kvmEmulated : .kvmSupported)
        print(try OutputDumpFormat(dumpFormat).render(dump), terminator: "")
    }

    /// The feature MSRs in KVM's order, named where Linux names them.
    private func renderMSRs(_ msrs: [MSR]) -> String {
        var rows = [["index", "name", "value"]]
        for msr in msrs {
            rows.append([Hex.word(msr.index), FeatureMSRNames.name(of: msr.index), msr.value.description])
        }
        return "\nKVM_GET_MSR_FEATURE_INDEX_LIST: \(msrs.count) MSRs, values from KVM_GET_MSRS on \(device)\n"
            + alignedColumns(rows) + "\n"
    }

    /// One row per entry in KVM's own order, flags spelled out.
    private func renderTable(_ query: KVMCPUIDQuery) -> String {
        let module = KVMModuleInfo.detect().name ?? "no vendor module"
        var lines = ["\(emulated ? "KVM_GET_EMULATED_CPUID" : "KVM_GET_SUPPORTED_CPUID"): "
            + "\(query.entries.count) entries (\(module))"]
        lines.append("leaf        subleaf  eax         ebx         ecx         edx         flags")
        for (entry, flags) in zip(query.entries, query.flags) {
            let r = entry.registers
            let subleaf = Hex.byte(entry.subleaf)
            let flagText = flags == 0 ? "-" : "0x\(String(flags, radix: 16))" + (entry.significantIndex ? " index" : "")
            lines.append("\(Hex.word(entry.leaf))  \(subleaf.padded(to: 7))  \(Hex.word(r.eax))  \(Hex.word(r.ebx))  "
                + "\(Hex.word(r.ecx))  \(Hex.word(r.edx))  \(flagText)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
