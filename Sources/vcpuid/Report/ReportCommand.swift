import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid` / `vcpuid report`: the one-screen summary of this machine (or of a dump).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarize this machine (or a dump): CPU, leaf ranges, the Linux view, SGX, KVM and a verified guest (the default command).",
        discussion: """
            Sections that need this machine (live KVM, the guest check, the comparison with /proc/cpuinfo) say \
            so for a dump, and show vcpuid's model where one applies. A section whose source is missing \
            (no /dev/kvm, no /proc/cpuinfo, not x86) says why instead of failing.
            """
    )

    @OptionGroup var input: SnapshotOptions

    @Flag(help: "Print the report as JSON (every list in full).")
    var json = false

    @Flag(name: .shortAndLong, help: "List everything, e.g. every host feature KVM does not offer, not just the first few.")
    var verbose = false

    /// The report's sections, in order; a new section is one function added here.
    static let sections: [@Sendable (ReportContext) -> ReportSection] = [
        identitySection,
        leafRangesSection,
        linuxSection,
        sgxSection,
        kvmSection,
        guestSection,
    ]

    func run() throws {
        let context = try makeContext()
        let built = Self.sections.map { $0(context) }
        print(json ? ReportRenderer.json(built) : ReportRenderer.text(built), terminator: "")
    }

    private func makeContext() throws -> ReportContext {
        if let file = input.file {
            let dump = try input.readDump(file)
            let chosen = input.cpu ?? dump.cpus.first?.number ?? 0
            let snapshot = try dump.logicalCPU(chosen, in: file).snapshot
            let kernel = KernelOptions.resolve(nil, live: false).profile
            let msrSource = snapshot.msrs.isEmpty ? "none in the dump (bugs decided by MSRs stay undecided)"
                : "\(snapshot.msrs.count) in the dump"
            return ReportContext(snapshot: snapshot, cpuNumber: chosen, logicalCPUs: dump.cpus.count,
                                 source: "\(input.sourceDescription) (\(Self.formatName(dump.origin)))", isLive: false,
                                 kernelRelease: nil, kernel: kernel, linux: LinuxDerivation.derive(snapshot, kernel: kernel),
                                 kvm: nil, verbose: verbose, msrSource: msrSource)
        }
        let cpu = input.cpu ?? 0
        var snapshot = try LiveCPU.snapshot(cpu: cpu, source: input.source)
        let msrSource: String
        switch HostFeatureMSRs.read(cpu: cpu) {
        case let .read(msrs, path):
            for msr in msrs { snapshot.setMSR(msr) }
            msrSource = "\(msrs.filter { $0.value != .faulted }.count) read from \(path) (\(msrs.filter { $0.value == .faulted }.count) faulted)"
        case let .unavailable(why):
            msrSource = "not read: \(why)"
        }
        let online = try LiveCPU.onlineCPUs()
        let release = HostSystem.kernelRelease()
        let kernel = KernelOptions.resolve(release.flatMap { KernelVersion($0) }, live: true).profile
        let boot = HostSystem.bootOptions()
        return ReportContext(snapshot: snapshot, cpuNumber: cpu, logicalCPUs: online.count,
                             source: input.sourceDescription, isLive: true, kernelRelease: release, kernel: kernel,
                             linux: LinuxDerivation.derive(snapshot, kernel: kernel, options: boot),
                             kvm: KVMReportSection.live(), verbose: verbose, msrSource: msrSource)
    }

    static func formatName(_ origin: DumpOrigin) -> String {
        if case let .file(_, format) = origin { return format.displayName }
        return origin.description
    }

    static func identitySection(_ context: ReportContext) -> ReportSection {
        let s = context.snapshot
        let sig = s.signature
        return ReportSection(key: "identity", title: "CPU", rows: [
            ReportRow(key: "source", label: "source", value: .text(context.source)),
            ReportRow(key: "cpu", label: "CPU shown", value: .number(context.cpuNumber)),
            ReportRow(key: "vendor", label: "vendor", value: .text(s.vendor)),
            ReportRow(key: "brand", label: "brand", value: s.brand.map { .text($0) } ?? .none),
            ReportRow(key: "family", label: "family", value: .shown(.number(Int(sig.family)), as: "0x\(String(sig.family, radix: 16)) (\(sig.family))")),
            ReportRow(key: "model", label: "model", value: .shown(.number(Int(sig.model)), as: "0x\(String(sig.model, radix: 16)) (\(sig.model))")),
            ReportRow(key: "stepping", label: "stepping", value: .number(Int(sig.stepping))),
            ReportRow(key: "signature", label: "signature", value: .text(Hex.word(sig.raw))),
            ReportRow(key: "logical_cpus", label: context.isLive ? "logical CPUs online" : "logical CPUs in dump",
                      value: .number(context.logicalCPUs)),
        ])
    }

    static func leafRangesSection(_ context: ReportContext) -> ReportSection {
        let s = context.snapshot
        var rows: [ReportRow] = []
        let ranges = s.implementedRanges
        for name in ["basic", "extended", "Xeon Phi", "Transmeta", "Centaur/Zhaoxin"] {
            let key = name.lowercased().replacingSpacesAndSlashes()
            if let range = ranges.first(where: { $0.name == name }) {
                rows.append(ReportRow(key: key, label: "\(name) leaves",
                                      value: .text("\(Hex.word(range.leaves.lowerBound))-\(Hex.word(range.leaves.upperBound))")))
            } else if name == "basic" || name == "extended" {
                rows.append(ReportRow(key: key, label: "\(name) leaves", value: .none))
            }
        }
        let hypervisor = ranges.filter { $0.name == "hypervisor" }
        let present = s.isSet(CPUIDField(1, 0, .ecx, bit: 31))
        rows.append(ReportRow(key: "hypervisor_present", label: "hypervisor bit", value: .shown(.flag(present), as: present ? "set (CPUID.1:ECX[31])" : "clear (no hypervisor)")))
        if hypervisor.isEmpty {
            rows.append(ReportRow(key: "hypervisor_leaves", label: "hypervisor leaves", value: .shown(.none, as: "none")))
        }
        for (i, window) in hypervisor.enumerated() {
            rows.append(ReportRow(key: i == 0 ? "hypervisor_vendor" : "hypervisor_vendor_\(i)",
                                  label: i == 0 ? "hypervisor vendor" : "hypervisor vendor \(i + 1)",
                                  value: .text(window.signature ?? "")))
            rows.append(ReportRow(key: i == 0 ? "hypervisor_leaves" : "hypervisor_leaves_\(i)",
                                  label: i == 0 ? "hypervisor leaves" : "hypervisor leaves \(i + 1)",
                                  value: .text("\(Hex.word(window.leaves.lowerBound))-\(Hex.word(window.leaves.upperBound))")))
        }
        rows.append(ReportRow(key: "entries", label: "entries", value: .number(s.count)))
        rows.append(ReportRow(key: "feature_msrs", label: "feature MSRs", value: .text(context.msrSource)))
        return ReportSection(key: "leaves", title: "Leaf ranges", rows: rows)
    }
}

extension String {
    func replacingSpacesAndSlashes() -> String {
        String(map { $0 == " " || $0 == "/" ? "_" : $0 })
    }
}
