/// What goes wrong with the inventory database, said in the user's terms.
public enum InventoryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQLite refused: the database path and SQLite's message.
    case database(path: String, message: String)
    /// A stored value does not decode.
    case corrupt(String)
    /// A host name that the inventory does not hold.
    case unknownHost(String)
    /// A `--where` filter that is not `key=value` with a known key.
    case badFilter(String)
    /// A feature name the catalogue does not know.
    case unknownFeature(String)

    public var description: String {
        switch self {
        case let .database(path, message): "\(path): \(message)"
        case let .corrupt(what): "the inventory is damaged: \(what)"
        case let .unknownHost(name): "no host named '\(name)' in the inventory (fleet list shows them)"
        case let .badFilter(text): "--where '\(text)': expected key=value with key one of \(InventoryFilter.keys.joined(separator: ", "))"
        case let .unknownFeature(name): "no feature named '\(name)' (Linux, macro or QEMU names)"
        }
    }
}
