/// A QEMU release, as `--version` and QMP's greeting give it (`7.2.22`).
public struct QEMUVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var micro: Int

    public init(_ major: Int, _ minor: Int, _ micro: Int) {
        self.major = major
        self.minor = minor
        self.micro = micro
    }

    /// Reads `7.2.22` or the first line of `--version` (`QEMU emulator version 7.2.22 (Debian ...)`).
    public init?(parsing text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let token = words.first(where: { $0.first?.isNumber == true && $0.contains(".") }) else { return nil }
        let numbers = token.split(separator: ".").map { Int($0.prefix { $0.isNumber }) }
        guard numbers.count >= 2, let major = numbers[0], let minor = numbers[1] else { return nil }
        self.init(major, minor, numbers.count > 2 ? numbers[2] ?? 0 : 0)
    }

    public var description: String { "\(major).\(minor).\(micro)" }

    public static func < (lhs: QEMUVersion, rhs: QEMUVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.micro) < (rhs.major, rhs.minor, rhs.micro)
    }
}
