extension KernelVersion {
    /// The running kernel's version, from uname(2) (what `uname -r` prints); nil if it does not parse.
    public static func running() -> KernelVersion? { HostSystem.kernelVersion() }
}
