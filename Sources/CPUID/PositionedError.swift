/// An error about a place in a file. Every command prints these the way compilers do,
/// `FILE:LINE:COLUMN: error: MESSAGE`, so that editors jump to the place; other errors print as `Error: MESSAGE`.
public protocol PositionedError: Error {
    var file: String { get }
    /// 1-based line and column; nil when the problem concerns the file as a whole (unreadable, empty, too large).
    var position: (line: Int, column: Int?)? { get }
    /// What went wrong, without the place.
    var message: String { get }
}

extension PositionedError {
    /// `file:line:column: error: message` when there is a line; `file: message` otherwise.
    public var compilerStyle: String {
        guard let position else { return "\(file): \(message)" }
        return "\(file):\(position.line)\(position.column.map { ":\($0)" } ?? ""): error: \(message)"
    }
}

extension DumpError: PositionedError {
    public var position: (line: Int, column: Int?)? { line.map { ($0, column) } }
}

extension FirecrackerTemplateError: PositionedError {
    public var position: (line: Int, column: Int?)? { line.map { ($0, column) } }
}
