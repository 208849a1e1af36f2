#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress report on standard error (count, rate, time left), redrawn at most four times a
/// second, and only when standard error is a terminal: a log or a pipe gets nothing.
public struct ProgressLine {
    public let total: Int?
    public let noun: String
    private let enabled: Bool
    private let start: Double
    private var lastDraw = 0.0
    private var drewAnything = false

    public init(total: Int?, noun: String, enabled: Bool = isatty(2) == 1) {
        self.total = total
        self.noun = noun
        self.enabled = enabled
        start = Self.now()
    }

    public mutating func update(_ done: Int) {
        guard enabled else { return }
        let now = Self.now()
        guard now - lastDraw >= 0.25 else { return }
        lastDraw = now
        drewAnything = true
        Self.write("\r\u{1B}[K" + Self.text(done: done, total: total, noun: noun, elapsed: now - start))
    }

    /// Clears the line so that what follows starts on a clean one.
    public mutating func finish() {
        guard enabled, drewAnything else { return }
        Self.write("\r\u{1B}[K")
    }

    /// `12,000/100,000 dumps  41,200/s  2 s left`.
    public static func text(done: Int, total: Int?, noun: String, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var line = total.map { "\(grouped(done))/\(grouped($0)) \(noun)" } ?? "\(grouped(done)) \(noun)"
        line += "  \(grouped(Int(rate)))/s"
        if let total, rate > 0, total > done {
            line += "  \(Int((Double(total - done) / rate).rounded(.up))) s left"
        }
        return line
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            written += n
        }
        bytes = []
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
