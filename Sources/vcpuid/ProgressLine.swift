#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress report on standard error (count, rate, time left), redrawn at most four times a
/// second, and only when standard error is a terminal: a log or a pipe gets nothing.
struct ProgressLine {
    let total: Int?
    let noun: String
    private let enabled: Bool
    private let start: Double
    private var lastDraw = 0.0
    private var drewAnything = false

    init(total: Int?, noun: String, enabled: Bool = isatty(2) == 1) {
        self.total = total
        self.noun = noun
        self.enabled = enabled
        start = Self.now()
    }

    mutating func update(_ done: Int) {
        guard enabled else { return }
        let now = Self.now()
        guard now - lastDraw >= 0.25 else { return }
        lastDraw = now
        drewAnything = true
        writeToStandardError("\r\u{1B}[K" + Self.text(done: done, total: total, noun: noun, elapsed: now - start))
    }

    /// Clears the line so that what follows starts on a clean one.
    mutating func finish() {
        guard enabled, drewAnything else { return }
        writeToStandardError("\r\u{1B}[K")
    }

    /// `12,000/100,000 dumps  41,200/s  2 s left`.
    static func text(done: Int, total: Int?, noun: String, elapsed: Double) -> String {
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

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
