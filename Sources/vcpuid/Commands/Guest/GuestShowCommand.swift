import ArgumentParser
import CPUID
import KVM

/// `vcpuid guest show`: compose and check a guest table without creating a VM.
struct GuestShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Compose a guest CPUID table from a base and edits, check it, and print it (no VM needed).",
        discussion: """
            Edits apply in the order given. Disabling a feature also clears everything that depends on it \
            (Linux's cpuid-deps rows and CPUID's structural rules); enabling one the base lacks needs \
            --allow-unsupported; enabling one whose dependency is off fails and names the chain.
            Example: vcpuid guest show --enable sgx,sgx1,sgx2,sgx-edeccssa --allow-unsupported
            """
    )

    enum OutputFormat: String, OutputFormatChoice {
        case table, raw, json

        static let help = "table (aligned, changes marked), raw (cpuid -r lines, usable as --base), or json."
    }

    @OptionGroup var policy: GuestPolicyOptions

    @OptionGroup var output: OutputOptions<OutputFormat>

    func run() throws {
        let (composition, _) = try GuestRendering.compose(policy, json: output.chosen == .json)
        switch output.chosen {
        case .json:
            print(try prettyJSON(GuestRendering.CompositionJSON(composition)))
        case .raw:
            print(try DumpWriter.render(Dump(snapshot: composition.table, origin: .model("vcpuid guest table")), as: .cpuidRaw),
                  terminator: "")
        case .table:
            print("base: \(composition.base.name)")
            print("edits:")
            print(GuestRendering.steps(composition))
            for note in GuestRendering.notes(composition) { print(note) }
            print("")
            print("guest table: \(composition.table.count) entries (* changed from the base, + added)")
            print(GuestRendering.table(composition))
            let msrLines = GuestMSRText.plan(policy.msrPlan(for: composition))
            if !msrLines.isEmpty { print(""); print(msrLines.joined(separator: "\n")) }
        }
    }
}
