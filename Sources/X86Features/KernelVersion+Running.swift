import Glibc

extension KernelVersion {
    /// The running kernel's version, from uname(2) (what `uname -r` prints); nil if it does not parse.
    public static func running() -> KernelVersion? {
        var name = utsname()
        guard uname(&name) == 0 else { return nil }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return KernelVersion(release)
    }
}
