import ArgumentParser

extension VCPUID {
    /// Parses and runs like ArgumentParser's own `main(_:)`, except that a `ValidationError` thrown while a
    /// command runs (a bad file, an unknown feature name) is printed without the root command's usage
    /// text, which would point at `vcpuid <subcommand>` rather than at what went wrong.
    static func main(_ arguments: [String]?) {
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let failure as ValidationError {
            exit(withError: RunFailure(message: failure.message))
        } catch {
            exit(withError: error)
        }
    }
}

/// A command that failed while running; ArgumentParser prints it as `Error: message` and exits with 1.
struct RunFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
