import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Runs like `vcpuid`: errors while a command runs print `Error: ...` and exit 2; verdicts exit 0 or 1;
/// command-line mistakes keep ArgumentParser's usage message and status 64.
enum FleetMain {
    static let failure: Int32 = 2
    static let negativeVerdict: Int32 = 1

    static func main(_ arguments: [String]) {
        var command: ParsableCommand
        do {
            command = try FleetRoot.parseAsRoot(arguments)
        } catch {
            FleetRoot.exit(withError: error)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            FleetRoot.exit(withError: code)
        } catch let failure as ValidationError {
            fail(failure.message)
        } catch {
            if FleetRoot.exitCode(for: error) == .success { FleetRoot.exit(withError: error) }
            let message = FleetRoot.fullMessage(for: error)
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
        }
    }

    static func fail(_ message: String) -> Never {
        FleetOutput.error("Error: \(message)")
        FleetRoot.exit(withError: ExitCode(failure))
    }
}
