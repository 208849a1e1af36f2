/// Why a Firecracker custom CPU template could not be read: the file, the place, and what was expected.
public struct FirecrackerTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name (or another label for text that did not come from a file).
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `template.json:12:22: bitmap ... expected 0, 1, x or _`
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
