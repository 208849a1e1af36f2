import FoundationEssentials

/// Aligned plain-text tables and JSON output for the `vcpuid sgx` commands.
enum SGXTable {
    /// A header row over the rows, as `alignedColumns` lays them out.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        alignedColumns([header] + rows)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
