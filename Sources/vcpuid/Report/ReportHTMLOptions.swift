import ArgumentParser
import KVM
import X86Features

/// The options `report` takes only with `--html`: the page's path, the kernel to model, and the guest
/// policy whose table the matrix follows (the edits of `vcpuid guest`, applied in the order typed).
struct ReportHTMLOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write a self-contained HTML report (the feature chain matrix and SGX) to this file; the input may be a dump or 'live'.",
                               valueName: "file.html"))
    var html: String?

    @OptionGroup var kernelOptions: KernelOptions

    @Option(parsing: .singleValue, help: ArgumentHelp("With --html: turn guest features on (as `guest --enable`).", valueName: "names"),
            transform: TypedInOrder.init)
    var enable: [TypedInOrder] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("With --html: turn guest features off, with their dependents.", valueName: "names"),
            transform: TypedInOrder.init)
    var disable: [TypedInOrder] = []

    @Option(parsing: .singleValue, help: ArgumentHelp("With --html: write a guest register or bit range, e.g. 0x12.0.eax=0x803.",
                                                      valueName: "leaf.subleaf.reg[bits]=value"),
            transform: TypedInOrder.init)
    var set: [TypedInOrder] = []

    @Flag(name: .customLong("allow-unsupported"), help: "With --html: enabling a feature the guest base lacks is a warning.")
    var allowUnsupported = false

    func validate() throws {
        let guestEdits = !enable.isEmpty || !disable.isEmpty || !set.isEmpty || allowUnsupported
        if html == nil, guestEdits || kernelOptions.kernel != nil {
            throw ValidationError("--kernel, --enable, --disable, --set and --allow-unsupported apply to --html")
        }
        if let html, html.isEmpty || html.hasSuffix("/") {
            throw ValidationError("--html '\(html)' names no file: give a file name such as report.html")
        }
    }

    /// The guest policy, edits in the order typed (as `GuestPolicyOptions.policy()` reads them).
    func policy() throws -> GuestPolicy {
        let typed = enable.map { (0, $0) } + disable.map { (1, $0) } + set.map { (2, $0) }
        var edits: [GuestPolicy.Edit] = []
        for (kind, value) in typed.sorted(by: { $0.1.position < $1.1.position }) {
            switch kind {
            case 0: edits.append(.enable(GuestPolicyOptions.names(value.text)))
            case 1: edits.append(.disable(GuestPolicyOptions.names(value.text)))
            default:
                do { edits.append(.set(try RegisterAssignment(parsing: value.text))) } catch { throw ValidationError(error.description) }
            }
        }
        return GuestPolicy(edits: edits, allowUnsupported: allowUnsupported)
    }
}
