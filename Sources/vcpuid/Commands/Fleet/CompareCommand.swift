import ArgumentParser
import CPUID
import Fleet
import KVM
import X86Features
#if canImport(Glibc)
import Glibc
#endif

/// `vcpuid compare GUEST HOST`: can this guest start on that host, and be live-migrated there?
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Can a guest with this CPUID start on that host, and be live-migrated there?",
        discussion: """
            GUEST is a guest table in any dump format (vcpuid JSON, cpuid -r, libvirt cpudata XML, a \
            Firecracker template or fingerprint — a template's unspecified bits are taken from HOST), or a QEMU \
            -cpu argument (given directly or as a one-line file) with model host or max and +/- features by \
            QEMU name: the host's CPUID (with --kernel, what its KVM offers) with those edits. Every \
            feature the guest has and the host cannot give is listed with the reason: the host lacks it, this \
            kernel's KVM does not offer it (with --kernel, judged by vcpuid's model of that KVM), or it depends \
            on another missing feature. Migration additionally needs no non-migratable bits (invtsc, xsaves) \
            and an XSAVE area the host can hold. Exit status: 0 it can start and migrate, 1 it cannot (with \
            --start-only: 0 it can start), 2 unreadable input.

            Examples:
              vcpuid compare guest.json host.cpuid --kernel 6.1
              vcpuid compare fc-template.json host.cpuid --start-only
              vcpuid compare host,+avx512f,-hle host.cpuid --kernel 6.1
              vcpuid compare "-cpu EPYC-Rome,+avx512f" host.cpuid --kernel 6.1   (a named QEMU model: as `vcpuid qemu check`)
            """
    )

    @Argument(help: "The guest's CPUID (a guest table, template or dump).")
    var guest: String

    @Argument(help: "The host's CPUID dump (default: this machine).")
    var host: String?

    @Option(help: ArgumentHelp("Judge by what this Linux release's KVM offers on the host (vcpuid's model), not raw host CPUID.",
                               valueName: "release"))
    var kernel: KernelVersion?

    @Flag(name: .customLong("start-only"), help: "Answer only whether the guest can start; ignore migration.")
    var startOnly = false

    @Flag(help: "Print the verdict as JSON.")
    var json = false

    struct Document: Encodable {
        var guest: String
        var host: String
        var verdict: GuestCompatibility
    }

    func run() throws {
        if let spec = try Self.namedModelLine(guest) {
            try runQEMUCheck(spec)
            return
        }
        let profile = kernel.map { KernelOptions.resolve($0, live: false) }.map { resolution in
            KernelOptions.announce(resolution)
            return resolution.profile
        }
        let hostSnapshot = try FleetInputs.snapshot(host)
        let guestSnapshot: Snapshot
        if let line = try Self.cpuLine(guest) {
            let offered = profile.map { BaselineView.kvm.apply(to: hostSnapshot, kernel: $0) } ?? hostSnapshot
            guestSnapshot = try line.table(offered: offered)
        } else {
            guestSnapshot = try FleetInputs.snapshot(guest, base: hostSnapshot)
        }
        let verdict = GuestCompatibility(guest: guestSnapshot, host: hostSnapshot, kernel: profile)
        if json {
            print(try prettyJSON(Document(guest: guest, host: FleetInputs.name(host), verdict: verdict)))
        } else {
            print(verdict.report(guest: guest, host: FleetInputs.name(host), startOnly: startOnly), terminator: "")
        }
        let yes = startOnly ? verdict.canStart : verdict.canMigrate
        if !yes { throw ExitCode(ExitStatus.negativeVerdict) }
    }

    /// A `-cpu` argument naming one of QEMU's models (not host or max): judged like `vcpuid qemu check`.
    static func namedModelLine(_ argument: String) throws -> QEMUCPUSpec? {
        var text = argument
        if access(argument, F_OK) == 0 {
            text = String(decoding: try DumpReader.readBytes(path: argument), as: UTF8.self)
            guard QEMUCPULine.looksLikeCPUArgument(text) else { return nil }
        }
        text = text.trimmingWhitespace()
        guard text.hasPrefix("-cpu") else { return nil }
        let spec = try QEMUCPUSpec(parsing: text)
        return spec.isHostModel ? nil : spec
    }

    /// QEMU's outcome for a named-model line on HOST (vcpuid's model of its KVM for --kernel, default the
    /// newest carried) or, without HOST, on this machine's live KVM.
    private func runQEMUCheck(_ spec: QEMUCPUSpec) throws {
        let (models, notes) = try QEMUModels.load()
        for note in notes { writeToStandardError("note: \(note)\n") }
        let offer: QEMUAcceleratorOffer
        if let host {
            offer = .predicted(host: try FleetInputs.snapshot(host), hostName: host, kernel: kernel ?? KernelProfile.newest.version)
        } else {
            offer = try .live()
        }
        let check = QEMUStartCheck(spec: spec, models: models, offer: offer)
        let spelling = models.version.map(QEMUFeatureWord.Spelling.of(version:)) ?? .classic
        if json {
            print(try prettyJSON(QEMUCheckJSON(check, models: models, spelling: spelling)))
        } else {
            print(QEMUCheckCommand.render(check, models: models, spelling: spelling), terminator: "")
        }
        if !check.starts { throw ExitCode(ExitStatus.negativeVerdict) }
    }

    /// A QEMU `-cpu` argument given directly (`host,-avx512f`) or as a one-line file; nil for a dump.
    static func cpuLine(_ argument: String) throws -> QEMUCPULine? {
        if access(argument, F_OK) == 0 {
            let text = String(decoding: try DumpReader.readBytes(path: argument), as: UTF8.self)
            return QEMUCPULine.looksLikeCPUArgument(text) ? try QEMUCPULine(parsing: text) : nil
        }
        return QEMUCPULine.looksLikeCPUArgument(argument) ? try QEMUCPULine(parsing: argument) : nil
    }
}
