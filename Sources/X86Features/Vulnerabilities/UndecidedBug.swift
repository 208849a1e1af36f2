/// A bug (or IBRS_ENHANCED, which cpu_set_bug_bits() also sets) whose outcome depends on an MSR the
/// snapshot does not carry: vcpuid leaves the bit clear and says so instead of guessing.
public struct UndecidedBug: Hashable, Sendable {
    /// The macro suffix: `MDS`, `IBRS_ENHANCED`.
    public var name: String
    public var isBug: Bool
    /// The /proc/cpuinfo name in the view's kernel (nil when hidden).
    public var procName: String?
    /// The MSRs that would decide it (0x10A ARCH_CAPABILITIES, 0x8B microcode revision).
    public var missingMSRs: [UInt32]
    /// "cannot be decided: ARCH_CAPABILITIES.MDS_NO (MSR 0x10A bit 5) needs MSR 0x10A, which the dump does not carry"
    public var reason: String
}

/// A rule left undecided, as the derivation records it (names only; `LinuxView.undecided` adds the reasons).
struct UndecidedRule: Sendable {
    var index: Int
    var name: String
    var isBug: Bool
}
