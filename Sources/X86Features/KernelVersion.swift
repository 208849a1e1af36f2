/// A Linux kernel release: `major.minor`, the granularity at which feature tables change, and the
/// stable point release when one was given (`6.1.158`), which profiles do not model but output names.
public struct KernelVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    /// The `z` of x.y.z; nil when only x.y was given (which means the release itself, x.y.0).
    public var patch: Int?

    public init(_ major: Int, _ minor: Int, _ patch: Int? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `6.2`, `v6.18`, `6.8.12`, or a `uname -r` string such as `6.18.44-fc-v669`.
    public init?(_ text: String) {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]) else { return nil }
        let minorDigits = parts[1].prefix { $0.isNumber }
        guard !minorDigits.isEmpty, let minor = Int(minorDigits) else { return nil }
        var patch: Int?
        if parts.count == 3, minorDigits.count == parts[1].count {
            let patchDigits = parts[2].prefix { $0.isNumber }
            patch = patchDigits.isEmpty ? nil : Int(patchDigits)
        }
        self.init(major, minor, patch)
    }

    /// The release this version belongs to (x.y, no point release).
    public var release: KernelVersion { KernelVersion(major, minor) }

    /// A stable point release above .0 (x.y.z with z > 0), which may carry backports the x.y profile lacks.
    public var isPointRelease: Bool { (patch ?? 0) > 0 }

    /// Whether `next` is the release that directly follows this one (5.19 → 6.0, 6.19 → 7.0).
    public func isFollowed(by next: KernelVersion) -> Bool {
        if next.major == major { return next.minor == minor + 1 }
        return next.major == major + 1 && next.minor == 0 && Self.lastMinor[major] == minor
    }

    /// The last minor release of each major line (a major line ends where Linus chose to start the next).
    private static let lastMinor: [Int: Int] = [3: 19, 4: 20, 5: 19, 6: 19]

    public static func == (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch ?? 0) == (rhs.major, rhs.minor, rhs.patch ?? 0)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch ?? 0)
    }

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch ?? 0) < (rhs.major, rhs.minor, rhs.patch ?? 0)
    }

    public var description: String { patch.map { "\(major).\(minor).\($0)" } ?? "\(major).\(minor)" }
}
