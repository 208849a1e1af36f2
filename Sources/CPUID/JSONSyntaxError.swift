/// Why text is not JSON: where, what was expected there, and what was found instead.
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var position: JSONPosition
    /// What should have been there, e.g. `',' or '}' in an object`.
    public var expected: String
    /// What was there instead, e.g. `']'` or `the end of the text`; nil when saying it adds nothing.
    public var found: String?

    public init(position: JSONPosition, expected: String, found: String? = nil) {
        self.position = position
        self.expected = expected
        self.found = found
    }

    /// `expected ',' or '}' in an object, found ']'`
    public var message: String {
        guard let found else { return "expected \(expected)" }
        return "expected \(expected), found \(found)"
    }

    /// `3:14: expected ...`
    public var description: String { "\(position): \(message)" }
}
