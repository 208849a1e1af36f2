/// Splits scenario text into tokens with their line and column, dropping `#` comments.
///
/// `#` starts a comment, except where it spells a fault or exception (`fault=#GP`, `aex #PF`):
/// right after `=`, or after a space when a mnemonic such as `GP` or `PF(0)` follows.
struct ScenarioToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case word, equals, comma, open, close, separator, newline }
    var kind: Kind
    var text: String
    var line: Int
    var column: Int

    var lowered: String { text.lowercased() }
}

enum ScenarioLexer {
    static let faultMnemonics: Set<String> = Set(AEXCause.exceptionVectors.map(\.name))

    static func tokens(_ text: String) -> [ScenarioToken] {
        var result: [ScenarioToken] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so Windows line ends must be named as separators too.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Array(rawLine)
            if line.last == "\r" { line.removeLast() }
            let end = commentStart(in: line) ?? line.count
            var i = 0
            while i < end {
                let c = line[i]
                if c.isWhitespace { i += 1; continue }
                let single: ScenarioToken.Kind? = switch c {
                case "=": .equals
                case "{": .open
                case "}": .close
                case ";": .separator
                case ",": .comma
                default: nil
                }
                if let single {
                    result.append(ScenarioToken(kind: single, text: String(c), line: lineNumber, column: i + 1))
                    i += 1
                    continue
                }
                let start = i
                while i < end, !line[i].isWhitespace, !"={};,".contains(line[i]) { i += 1 }
                result.append(ScenarioToken(kind: .word, text: String(line[start..<i]), line: lineNumber, column: start + 1))
            }
            result.append(ScenarioToken(kind: .newline, text: "", line: lineNumber, column: end + 1))
        }
        return result
    }

    /// Index of the `#` that begins a comment on this line, if any.
    static func commentStart(in line: [Character]) -> Int? {
        let firstContent = line.firstIndex { !$0.isWhitespace }
        for (i, c) in line.enumerated() where c == "#" {
            if i == firstContent { return i }
            let previous = line[i - 1]
            if previous == "=" { continue }
            var j = i + 1
            var letters = ""
            while j < line.count, line[j].isLetter { letters.append(line[j]); j += 1 }
            let boundary = j == line.count || line[j].isWhitespace || "(;},".contains(line[j])
            if !letters.isEmpty, boundary, faultMnemonics.contains(letters.uppercased()) { continue }
            return i
        }
        return nil
    }
}
