import ArgumentParser

/// The output forms of a command that has more than its table: `--format NAME`, with `--json` for `--format json`.
protocol OutputFormatChoice: ExpressibleByArgument, CaseIterable, Equatable, RawRepresentable where RawValue == String {
    static var table: Self { get }
    static var json: Self { get }
    /// What `--format` offers in this command.
    static var help: String { get }
}

/// `--format F` and `--json`, shared by the commands with several output forms, with the one rule that
/// relates them: `--json` is `--format json`, and a different `--format` beside it is refused.
struct OutputOptions<Format: OutputFormatChoice>: ParsableArguments {
    @Option(help: ArgumentHelp(Format.help))
    var format: Format = .table

    @Flag(help: "Same as --format json.")
    var json = false

    func validate() throws {
        if json, format != .table, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) ask for different outputs; give one of them")
        }
    }

    /// The form asked for.
    var chosen: Format { json ? .json : format }
}
