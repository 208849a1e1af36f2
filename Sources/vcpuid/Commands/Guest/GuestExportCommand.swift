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
            qemu: -cpu host,+x,-y with QEMU's property names (host = KVM's supported CPUID).
            libvirt: <cpu mode='host-passthrough'> (or mode='custom' with --model) with <feature> elements.

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
            let arguments = GuestExport.qemu(composition, directory: directory)
            notes += arguments.notes.map { "note: \($0)" }
            text = arguments.commandLine + "\n"
        case .libvirt:
            text = GuestExport.libvirt(composition, directory: directory, model: model)
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
}
