/// One `--where key=value` condition on the hosts' current dumps.
public struct InventoryFilter: Hashable, Sendable {
    /// The keys a filter may name, each a column of the current dump.
    public static let keys = ["kernel", "vendor", "family", "model", "stepping", "host"]

    public var key: String
    public var value: String

    public init(parsing text: String) throws(InventoryError) {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, Self.keys.contains(String(parts[0])), !parts[1].isEmpty else {
            throw InventoryError.badFilter(text)
        }
        key = String(parts[0])
        value = String(parts[1])
    }

    /// The value as a number, decimal or `0x` hex, for the numeric keys.
    var number: Int? { value.hasPrefix("0x") ? Int(value.dropFirst(2), radix: 16) : Int(value) }

    /// The SQL condition (the key is one of `keys`, so it is safe to splice) and its argument.
    var sql: String { key == "host" ? "host.name = ?" : "dump.\(key) = ?" }
}
