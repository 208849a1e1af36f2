import FoundationEssentials

/// Aligned plain-text tables and JSON output for the `vcpuid sgx` commands.
enum SGXTable {
    /// Columns padded to their widest cell; the last column is not padded.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padded(to: widths[i])
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Writes to standard error, for diagnostics that must not mix with the report.
    static func printError(_ text: String) {
        writeToStandardError(text + "\n")
    }
}
