#if canImport(Glibc)
import Glibc
#endif

/// The few string helpers the commands used from full Foundation, written on the standard library so that
/// the executable links only FoundationEssentials (full Foundation and ICU cost milliseconds at every start).
extension StringProtocol {
    /// Without leading and trailing whitespace, newlines included (Foundation's `.whitespacesAndNewlines`).
    func trimmingWhitespace() -> String {
        trimming { $0.isWhitespace }
    }

    /// Without leading and trailing spaces and tabs, newlines kept (Foundation's `.whitespaces`).
    func trimmingSpaces() -> String {
        trimming { $0 == "\t" || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator } }
    }

    private func trimming(_ drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Padded with spaces on the right to `width` characters (never cut).
    func padded(to width: Int) -> String {
        String(self) + String(repeating: " ", count: Swift.max(0, width - count))
    }
}

/// Rows as left-aligned columns separated by two spaces, each padded to its widest cell; the last cell of a
/// row is not padded. The one table layout of the commands' text output.
func alignedColumns(_ rows: [[String]]) -> String {
    var widths: [Int] = []
    for row in rows {
        for (i, cell) in row.enumerated() {
            if i == widths.count { widths.append(0) }
            widths[i] = Swift.max(widths[i], cell.count)
        }
    }
    return rows.map { row in
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell.padded(to: widths[i])
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// `value` with exactly `digits` decimals, rounded half away from zero
/// (what `String(format: "%.3f", x)` printed, for the timings shown).
func fixedPoint(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return "\(value)" }
    let units = Int(scaled)
    let divisor = Int(scale)
    let fraction = String(units % divisor)
    let sign = value < 0 && units != 0 ? "-" : ""
    let whole = "\(sign)\(units / divisor)"
    return digits == 0 ? whole : whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// `text` and a newline on standard error, for notes and diagnostics that must keep standard output clean.
func printToStandardError(_ text: String) {
    writeToStandardError(text + "\n")
}

/// Writes `text` to standard error unbuffered, for diagnostics that must not mix with the output.
func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + written, $0.count - written) }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { return }
        written += n
    }
    bytes = []
}
