/// The `flags` and `bugs` lines of a /proc/cpuinfo text, per processor.
public struct ProcCPUInfo: Hashable, Sendable {
    public struct Processor: Hashable, Sendable {
        public var number: Int
        public var flags: [String]
        public var bugs: [String]
    }

    public var processors: [Processor]

    /// Why a /proc/cpuinfo text could not be used.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var expected: String

        public var description: String {
            line.map { "\(file):\($0): expected \(expected)" } ?? "\(file): expected \(expected)"
        }
    }

    /// Parses the text; every processor block must have a `flags` line (x86 kernels always print one).
    public static func parse(_ text: String, name: String) throws(ParseError) -> ProcCPUInfo {
        var processors: [Processor] = []
        var current: Processor?
        var currentLine = 0
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let lineNumber = index + 1
            guard let colon = rawLine.firstIndex(of: ":") else { continue }
            let key = rawLine[..<colon].trimmingCharacters()
            let value = rawLine[rawLine.index(after: colon)...]
            switch key {
            case "processor":
                if let done = current {
                    guard !done.flags.isEmpty else {
                        throw ParseError(file: name, line: currentLine, expected: "a `flags` line for processor \(done.number)")
                    }
                    processors.append(done)
                }
                guard let number = Int(value.trimmingCharacters()) else {
                    throw ParseError(file: name, line: lineNumber, expected: "a processor number after `processor :`")
                }
                current = Processor(number: number, flags: [], bugs: [])
                currentLine = lineNumber
            case "flags":
                guard current != nil else {
                    throw ParseError(file: name, line: lineNumber, expected: "a `processor` line before `flags`")
                }
                current?.flags = value.split(separator: " ").map(String.init)
            case "bugs":
                current?.bugs = value.split(separator: " ").map(String.init)
            default:
                continue
            }
        }
        if let done = current {
            guard !done.flags.isEmpty else {
                throw ParseError(file: name, line: currentLine, expected: "a `flags` line for processor \(done.number)")
            }
            processors.append(done)
        }
        guard !processors.isEmpty else {
            throw ParseError(file: name, line: nil, expected: "x86 /proc/cpuinfo text with `processor` and `flags` lines")
        }
        return ProcCPUInfo(processors: processors)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return String(s)
    }
}
