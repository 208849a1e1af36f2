#if canImport(Glibc)
import Glibc
#endif

/// The header every picture starts with: what was read, when, by which vcpuid, with which kernel profile;
/// a picture passed around without its command line still says where it came from.
public struct ReportHeader: Sendable {
    /// `(label, value)` lines, in order.
    public var lines: [(String, String)]

    public init(_ lines: [(String, String)]) { self.lines = lines }

    /// vcpuid's version, as every picture names it.
    public static let toolVersion = "vcpuid 0.1-dev"

    /// The standard lines: source, time (UTC), tool version, kernel profile, then any others.
    public static func standard(read: String, kernel: String?, extra: [(String, String)] = [],
                                generated: String = utcNow()) -> ReportHeader {
        var lines = [("read", read), ("generated", generated), ("by", toolVersion)]
        if let kernel { lines.append(("kernel profile", kernel)) }
        return ReportHeader(lines + extra)
    }

    public func html(title: String) -> String {
        var out = "<header><h1>\(HTML.escape(title))</h1><dl class=\"hdr\">"
        for (label, value) in lines { out += "<dt>\(HTML.escape(label))</dt><dd>\(HTML.escape(value))</dd>" }
        return out + "</dl></header>\n"
    }

    /// Now, as `2026-12-04 00:30:00 UTC` (no Foundation: vcpuid keeps its start-up small).
    public static func utcNow() -> String {
        var now = time(nil)
        var parts = tm()
        guard gmtime_r(&now, &parts) != nil else { return "unknown time" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }
}
