/// A parsed JSON value that remembers where each value and member name was read, so that a reader
/// checking a schema (JSON dumps, Firecracker templates) can name the line and column of each mistake.
public struct PositionedJSON: Sendable {
    public enum Content: Sendable {
        /// Members in file order; the parser has refused duplicate names.
        case object([Member])
        case array([PositionedJSON])
        case string(String)
        /// The number's text as written (RFC 8259 grammar), so that 64-bit integers stay exact.
        case number(String)
        case bool(Bool)
        case null
    }

    public struct Member: Sendable {
        public var key: String
        /// Where the member name's opening quote is.
        public var keyPosition: JSONPosition
        public var value: PositionedJSON

        public init(key: String, keyPosition: JSONPosition, value: PositionedJSON) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    public var content: Content
    /// Where the value's first character is.
    public var position: JSONPosition

    public init(_ content: Content, at position: JSONPosition) {
        self.content = content
        self.position = position
    }

    /// The member's value with this key, if this is an object that has it.
    public func member(_ key: String) -> PositionedJSON? {
        guard case let .object(members) = content else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// What the value is, for messages: `an object`, `a string`, ...
    public var kindDescription: String {
        switch content {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value without positions, to keep verbatim or write back.
    public var value: JSONValue {
        switch content {
        case let .object(members): .object(members.map { JSONValue.Member($0.key, $0.value.value) })
        case let .array(items): .array(items.map(\.value))
        case let .string(text): .string(text)
        case let .number(text): .number(text)
        case let .bool(flag): .bool(flag)
        case .null: .null
        }
    }
}
