import ArgumentParser
import CPUID
import KVM

/// `vcpuid guest export`: the composed table in another VMM's terms.
struct GuestExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the composed guest table as a Firecracker CPU template, a QEMU -cpu option or a libvirt <cpu> element.",
        discussion: """
            firecracker: a custom CPU template whose cpuid_modifiers turn the base into the table (only the \
            bits that differ are decided; --full decides every bit of every entry).
            qemu: for the live base (this machine's KVM offer), -cpu host,+x,-y (host = KVM's supported \
            CPUID); for any other base (a dump, a baseline, a prediction), the closest named QEMU model plus \
            +x/-y and level, xlevel, family, model, stepping, vendor, model-id where they differ, so the guest \
            sees the table's bits wherever QEMU runs (models from `vcpuid qemu models`; --qemu PATH).
            libvirt: <cpu mode='host-passthrough'> for the live base (or mode='custom' with --model); for any \
            other base <cpu mode='custom' match='exact'> with <model fallback='forbid'>, <vendor> and \
            <feature policy='require|disable'>, named as libvirt's cpu_map names them.

            Examples:
              vcpuid guest export --disable avx512f --as qemu
              vcpuid guest export --enable sgx,sgx1,sgx-edeccssa --allow-unsupported --as firecracker
            """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case firecracker, qemu, libvirt
    }

    @OptionGroup var policy: GuestPolicyOptions

    @Option(name: .customLong("as"), help: "firecracker, qemu or libvirt.")
    var target: Target

    @Flag(help: "Firecracker: decide every bit of every entry, not only the changes.")
    var full = false

    @Option(help: "libvirt: a named CPU model (mode='custom') instead of host-passthrough.")
    var model: String?

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "qemu, libvirt: the QEMU binary whose named models to use (cached; vcpuid's bundled table without QEMU).")
    var qemu = "/usr/bin/qemu-system-x86_64"

    @Flag(help: "Print a JSON object with the export and its notes.")
    var json = false

    struct ExportJSON: Encodable {
        var target: String
        var text: String
        var notes: [String]
    }

    func run() throws {
        let (composition, directory) = try GuestRendering.compose(policy, json: json, qemuNames: true)
        var notes = GuestRendering.notes(composition)
        let text: String
        switch target {
        case .firecracker:
            let template = full ? FirecrackerTemplate.describing(composition.table)
                : FirecrackerTemplate.difference(from: composition.base.snapshot, to: composition.table)
            if !full, !composition.removedKeys.isEmpty {
                notes.append("note: a template cannot delete entries; \(composition.removedKeys.map(\.description).joined(separator: ", ")) are zeroed instead")
            }
            if composition.base.kind != .live {
                notes.append("note: Firecracker applies templates to KVM's supported CPUID; this template is relative to \(composition.base.name)")
            }
            text = template.rendered()
        case .qemu:
            let models = composition.base.kind == .live ? nil : try loadModels(&notes)
            let arguments = GuestExport.qemu(composition, directory: directory, models: models)
            notes += arguments.notes.map { "note: \($0)" }
            if composition.base.kind == .live { notes += hostLineWarnings(arguments.cpu) }
            text = arguments.commandLine + "\n"
        case .libvirt:
            if composition.base.kind == .live {
                text = GuestExport.libvirt(composition, directory: directory, model: model)
            } else {
                let exact = GuestExport.exactLibvirt(composition.table, models: try loadModels(&notes), model: model)
                notes += exact.notes.map { "note: \($0)" }
                text = exact.xml
            }
        }
        if let output {
            try DumpWriter.writeAtomically(text, to: output)
        }
        if json {
            print(try prettyJSON(ExportJSON(target: target.rawValue, text: text, notes: notes)))
            return
        }
        if output == nil { print(text, terminator: "") }
        for note in notes { printToStandardError(note) }
    }

    /// `-cpu host,...` judged against this machine's KVM the way `vcpuid qemu check` does: a line QEMU will
    /// not start here (the ARCH_CAPABILITIES write kvm_pvm refuses) says so, with the rule.
    private func hostLineWarnings(_ cpu: String) -> [String] {
        guard let spec = try? QEMUCPUSpec(parsing: cpu), let offer = try? QEMUAcceleratorOffer.live(),
              let (models, _) = try? QEMUModels.load(binary: qemu) else { return [] }
        let check = QEMUStartCheck(spec: spec, models: models, offer: offer)
        return check.failures.map { failure in
            var text = "warning: QEMU will not start this here: \(failure.qemuMessage): \(failure.rule)"
            if case let .msrRefused(refusal) = failure, refusal.msr == 0x10A { text += "; adding -arch-capabilities avoids it" }
            return text + " (vcpuid qemu check \"-cpu \(cpu)\")"
        }
    }

    private func loadModels(_ notes: inout [String]) throws -> QEMUModelTable {
        let (models, loadNotes) = try QEMUModels.load(binary: qemu)
        notes += loadNotes.map { "note: \($0)" }
        return models
    }
}
