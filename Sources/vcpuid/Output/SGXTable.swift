/// Aligned plain-text tables and JSON output for the `vcpuid sgx` commands.
enum SGXTable {
    /// A header row over the rows, as `alignedColumns` lays them out.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        alignedColumns([header] + rows)
    }

    /// The same JSON layout as every other command (`prettyJSON`).
    static func json<T: Encodable>(_ value: T) throws -> String { try prettyJSON(value) }
}
