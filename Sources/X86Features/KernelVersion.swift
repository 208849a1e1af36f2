/// A Linux kernel release as `major.minor`, the granularity at which feature tables change.
public struct KernelVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `6.2`, `v6.18`, or a `uname -r` string such as `6.18.44-fc-v669`.
    public init?(_ text: String) {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]) else { return nil }
        let minorDigits = parts[1].prefix { $0.isNumber }
        guard !minorDigits.isEmpty, let minor = Int(minorDigits) else { return nil }
        self.init(major, minor)
    }

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}
