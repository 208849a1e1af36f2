import ArgumentParser
import CPUID
import KVM
import X86Features

/// `vcpuid qemu check "-cpu SPEC"`: what QEMU will do with a `-cpu` line on this machine's KVM.
struct QEMUCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Predict whether QEMU starts a -cpu line here: the features it filters with a warning, and hard failures.",
        discussion: """
            Expands SPEC (a named model or version, host, max; +feature, -feature, feature=on|off, enforce) \
            into QEMU's feature bits with the installed QEMU's model table, compares them word by word with \
            what KVM offers (QEMU's view: KVM_GET_SUPPORTED_CPUID with QEMU's fixups, and the feature MSRs), \
            and reports QEMU's outcome in QEMU's words: each warning (as this QEMU spells it; --spelling \
            chooses the pre-10.1 `CPUID.07H:EBX.hle` or the 10.1 `CPUID[eax=07h,ecx=00h].EBX.hle` form), and \
            the hard failures: an MSR write KVM refuses (kvm_init_msrs aborts), enforce with filtered features, \
            an unknown model or property. --host DUMP --kernel V judges against vcpuid's model of that host's \
            KVM instead (also `vcpuid compare "-cpu SPEC" HOST --kernel V`).

            Exit status: 0 QEMU starts (possibly with warnings), 1 it will not, 2 no answer.

            Examples:
              vcpuid qemu check "-cpu EPYC"
              vcpuid qemu check "-cpu host"
              vcpuid qemu check "-cpu host,-arch-capabilities"
              vcpuid qemu check "-cpu Skylake-Server,enforce" --host other.cpuid --kernel 6.1
            """
    )

    enum Format: String, OutputFormatChoice {
        case table, json
        static let help = "Output format: text, or JSON."
    }

    enum SpellingChoice: String, ExpressibleByArgument, CaseIterable {
        case qemu, classic, bracketed
    }

    @Argument(parsing: .allUnrecognized, help: "The -cpu argument, with or without '-cpu ' (quote it: \"-cpu EPYC,+avx2\").")
    var specWords: [String] = []

    /// ArgumentParser would read a leading `-cpu` as options: the words are taken as they come and joined.
    var spec: String { specWords.joined(separator: " ").trimmingWhitespace() }

    func validate() throws {
        if specWords.isEmpty { throw ValidationError("give the -cpu argument to check, e.g. vcpuid qemu check \"-cpu EPYC\"") }
    }

    @Option(help: "Judge against vcpuid's model of this host's KVM (a dump) instead of this machine's /dev/kvm.")
    var host: String?

    @Option(help: "With --host: the kernel whose KVM to model (default: the newest carried).")
    var kernel: KernelVersion?

    @Option(help: "Warning spelling: as the QEMU whose models are used spells it (qemu), classic (before 10.1) or bracketed (10.1 on).")
    var spelling: SpellingChoice = .qemu

    @OptionGroup var binary: QEMUBinaryOptions
    @OptionGroup var output: OutputOptions<Format>

    func run() throws {
        let parsed = try QEMUCPUSpec(parsing: spec)
        let (models, notes) = try QEMUModels.load(binary: binary.qemu, refresh: binary.refresh)
        for note in notes { writeToStandardError("note: \(note)\n") }
        let offer: QEMUAcceleratorOffer
        if let host {
            let base = try GuestBase.file(path: host)
            offer = .predicted(host: base.snapshot, hostName: host, kernel: kernel ?? KernelProfile.newest.version)
        } else if let live = try? QEMUAcceleratorOffer.live() {
            offer = live
        } else if let tcg = QEMUAcceleratorOffer.tcg(models: models) {
            offer = tcg
        } else {
            offer = try QEMUAcceleratorOffer.live()  // rethrows why /dev/kvm cannot be used
        }
        let check = QEMUStartCheck(spec: parsed, models: models, offer: offer)
        let chosen: QEMUFeatureWord.Spelling = switch spelling {
        case .qemu: models.version.map(QEMUFeatureWord.Spelling.of(version:)) ?? .classic
        case .classic: .classic
        case .bracketed: .bracketed
        }
        if output.chosen == .json {
            print(try prettyJSON(QEMUCheckJSON(check, models: models, spelling: chosen)))
        } else {
            print(Self.render(check, models: models, spelling: chosen), terminator: "")
        }
        if !check.starts { throw ExitCode(ExitStatus.negativeVerdict) }
    }

    static func render(_ check: QEMUStartCheck, models: QEMUModelTable, spelling: QEMUFeatureWord.Spelling) -> String {
        var lines: [String] = []
        let verdict = check.starts
            ? (check.warnings.isEmpty ? "starts" : "starts, filtering \(check.warnings.count) feature(s) with a warning")
            : "does not start"
        lines.append("-cpu \(check.spec) with \(models.versionLine) on \(check.offer.origin): \(verdict)")
        if !check.warnings.isEmpty {
            lines.append("QEMU warns:")
            for warning in check.warnings { lines.append("  \(warning.text(spelling))") }
        }
        if !check.failures.isEmpty {
            lines.append("QEMU fails:")
            for failure in check.failures {
                lines.append("  \(failure.qemuMessage)")
                lines.append("    why: \(failure.rule)")
            }
        }
        for write in check.msrWrites {
            lines.append("QEMU writes \(FeatureMSRNames.name(of: write.msr)) (0x\(String(write.msr, radix: 16))) = 0x\(String(write.value, radix: 16)) before the guest runs")
        }
        if check.failures.contains(where: { if case .msrRefused = $0 { true } else { false } }),
           check.granted.contains(where: { $0.name == "arch-capabilities" }) {
            lines.append("fix: add -arch-capabilities (QEMU then writes 0 to the MSR, which KVM accepts)")
        }
        for note in check.notes { lines.append("note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `qemu check --json`.
struct QEMUCheckJSON: Encodable {
    struct Warning: Encodable {
        var feature: String
        var word: String
        var bit: Int
        var text: String
    }

    struct Failure: Encodable {
        var message: String
        var rule: String
    }

    struct Write: Encodable {
        var msr: String
        var value: String
    }

    var spec: String
    var qemu: String
    var offer: String
    var starts: Bool
    var warnings: [Warning]
    var failures: [Failure]
    var msrWrites: [Write]
    var requested: [String]
    var notes: [String]

    init(_ check: QEMUStartCheck, models: QEMUModelTable, spelling: QEMUFeatureWord.Spelling) {
        spec = check.spec.description
        qemu = models.versionLine
        offer = check.offer.origin
        starts = check.starts
        warnings = check.warnings.map {
            Warning(feature: $0.bit.name, word: $0.bit.featureWord.description(spelling), bit: $0.bit.bit, text: $0.text(spelling))
        }
        failures = check.failures.map { Failure(message: $0.qemuMessage, rule: $0.rule) }
        msrWrites = check.msrWrites.map { Write(msr: Hex.word($0.msr), value: Hex.quad($0.value)) }
        requested = check.requested.sorted().map(\.description)
        notes = check.notes
    }

    enum CodingKeys: String, CodingKey {
        case spec, qemu, offer, starts, warnings, failures, requested, notes
        case msrWrites = "msr-writes"
    }
}
