import ArgumentParser
import CPUID

/// vcpuid's exit statuses, one meaning each, so that scripts can tell a "no" from a failure.
enum ExitStatus {
    /// The command did its job and the answer is "yes" (every expectation holds, nothing unexplained).
    static let success: Int32 = 0
    /// The command did its job and the answer is "no": an unexplained flag, a guest mismatch, a failed
    /// expectation, an invariant violation.
    static let negativeVerdict: Int32 = 1
    /// The command could not answer: unreadable or malformed input, a refused guest policy, a KVM failure.
    static let failure: Int32 = 2
}

extension VCPUID {
    /// Parses and runs like ArgumentParser's own `main(_:)`, with two differences: an error thrown while a
    /// command runs is printed as `Error: ...` (or, when it names a place in a file, compiler style:
    /// `FILE:LINE:COL: error: ...`) without the root command's usage text (which would point at
    /// `vcpuid <subcommand>` rather than at what went wrong), and it exits with `ExitStatus.failure`, apart
    /// from the verdict statuses commands throw as `ExitCode`. Mistakes on the command line keep
    /// ArgumentParser's usage message and status.
    static func main(_ arguments: [String]?) {
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            exit(withError: code)
        } catch let failure as ValidationError {
            fail(with: failure.message)
        } catch let positioned as any PositionedError where positioned.position != nil {
            writeToStandardError(positioned.compilerStyle + "\n")
            exit(withError: ExitCode(ExitStatus.failure))
        } catch {
            let message = fullMessage(for: error)
            // CleanExit (help, version) prints without an error prefix and exits 0: leave it to ArgumentParser.
            if exitCode(for: error) == .success { exit(withError: error) }
            fail(with: message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
        }
    }

    private static func fail(with message: String) -> Never {
        writeToStandardError("Error: \(message)\n")
        exit(withError: ExitCode(ExitStatus.failure))
    }
}
