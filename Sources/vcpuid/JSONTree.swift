import FoundationEssentials

/// JSON null inside the `[String: Any]` trees that `flags` and `explain` print (Foundation's `NSNull`).
struct JSONNull {}

/// A `[String: Any]` tree of strings, integers, booleans, arrays, objects and `JSONNull`, encodable with
/// FoundationEssentials' `JSONEncoder` (full Foundation's `JSONSerialization` is not in FoundationEssentials).
enum JSONTree: Encodable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    /// The tree for `value`; a value of any other type is a programming error, reported as a thrown error.
    init(_ value: Any) throws(EncodingError) {
        switch value {
        case is JSONNull: self = .null
        case let v as Bool: self = .bool(v)
        case let v as Int: self = .int(v)
        case let v as String: self = .string(v)
        case let v as [Any]:
            var items: [JSONTree] = []
            for item in v { items.append(try JSONTree(item)) }
            self = .array(items)
        case let v as [String: Any]:
            var members: [String: JSONTree] = [:]
            for (key, item) in v { members[key] = try JSONTree(item) }
            self = .object(members)
        default:
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(type(of: value)) is not a JSON value"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(v): try container.encode(v)
        case let .int(v): try container.encode(v)
        case let .string(v): try container.encode(v)
        case let .array(v): try container.encode(v)
        case let .object(v): try container.encode(v)
        }
    }
}
