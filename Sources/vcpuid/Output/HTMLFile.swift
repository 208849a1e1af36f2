import CPUID

/// Writes a picture: to a temporary file beside the target, then renamed onto it, so a reader never sees
/// half a page; a failure names the path (exit 2 through the usual error path).
enum HTMLFile {
    static func write(_ html: String, to path: String) throws {
        do {
            try DumpWriter.writeAtomically(html, to: path)
        } catch {
            throw HTMLWriteError(path: path, reason: error.description)
        }
    }
}

/// The HTML file could not be written; the message names it.
struct HTMLWriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "cannot write the HTML report \(path): \(reason)" }
}
