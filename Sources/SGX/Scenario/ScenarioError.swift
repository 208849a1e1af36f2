import CPUID

/// A malformed scenario: where (file, line, column) and what was expected there.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:3:7: error: ...`, the form editors jump to.
    public var description: String { compilerStyle }
}

extension ScenarioError: PositionedError {
    public var position: (line: Int, column: Int?)? { (line, column) }
}
