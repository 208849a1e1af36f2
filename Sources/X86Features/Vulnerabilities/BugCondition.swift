/// One term of cpu_set_bug_bits(), as a tree the engine evaluates with three values (a term that reads
/// an MSR the dump does not carry is unknown) and the explanation walks to say which terms decided.
indirect enum BugCondition: Sendable {
    /// cpu_matches(cpu_vuln_whitelist, flags): the first matching whitelist row has one of the flags.
    case whitelisted(VulnerabilityFlags)
    /// cpu_matches(cpu_vuln_blacklist, flags).
    case blacklisted(VulnerabilityFlags)
    /// A bit of IA32_ARCH_CAPABILITIES (MSR 0x10A), by its msr-index.h name.
    case archCap(FeatureMSRBit)
    /// cpu_has()/boot_cpu_has() of a feature at this point; the number is resolved per release.
    case feature(String, FeatureNumber?)
    /// A feature the code tests but the vendor code sets only after cpu_set_bug_bits() has run (amd.c sets ZEN
    /// in init_amd()), so the test reads 0 at boot.
    case setLater(String, by: String)
    /// c->x86_vendor is this vendor.
    case vendor(VulnerabilityRow.Vendor)
    /// cpu_has_old_microcode(): the intel-ucode-defs.h row, the hypervisor bit and MSR 0x8B.
    case oldMicrocode
    case not(BugCondition)
    case all([BugCondition])
    case any([BugCondition])

    static func has(_ name: String) -> Self { .feature(name, nil) }

    static func ac(_ name: String) -> Self {
        guard let bit = FeatureMSRBits.bit(FeatureMSRBits.archCapabilities, named: name) else {
            preconditionFailure("FeatureMSRBits names no ARCH_CAPABILITIES.\(name)")
        }
        return .archCap(bit)
    }

    /// The same tree with every feature name resolved to its number in `kernel`.
    func resolved(in kernel: KernelProfile) -> Self {
        switch self {
        case let .feature(name, _): .feature(name, kernel.number(ofFeature: name))
        case let .not(inner): .not(inner.resolved(in: kernel))
        case let .all(terms): .all(terms.map { $0.resolved(in: kernel) })
        case let .any(terms): .any(terms.map { $0.resolved(in: kernel) })
        default: self
        }
    }
}

/// Kleene's three values: a bug is set, clear, or cannot be decided without an MSR.
enum Decision: Sendable, Equatable {
    case yes, no, unknown

    init(_ value: Bool) { self = value ? .yes : .no }
}
