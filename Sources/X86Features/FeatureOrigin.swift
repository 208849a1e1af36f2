import CPUID

/// Where a Linux feature bit comes from in one kernel.
public enum FeatureOrigin: Hashable, Sendable, CustomStringConvertible {
    /// A bit of a word that mirrors a CPUID register.
    case cpuid(CPUIDField)
    /// One or more scattered.c rows (MBA has two: Intel's leaf 0x10 and AMD's 0x80000008).
    case scattered([CPUIDField])
    /// Set by kernel code, not copied from a CPUID bit.
    case synthetic(SyntheticReason)
    /// A bug flag, set by the kernel's vulnerability tables and MSRs.
    case bug(SyntheticReason)

    public var description: String {
        switch self {
        case let .cpuid(field): "CPUID bit \(field)"
        case let .scattered(fields): "scattered: " + fields.map(\.description).joined(separator: " or ")
        case let .synthetic(reason): "Linux-synthesized (\(reason.category)): \(reason.detail)"
        case let .bug(reason): "bug flag (\(reason.category)): \(reason.detail)"
        }
    }

    /// The CPUID fields the bit is read from, if any.
    public var fields: [CPUIDField] {
        switch self {
        case let .cpuid(field): [field]
        case let .scattered(fields): fields
        case .synthetic, .bug: []
        }
    }
}

/// Why the kernel sets a feature that is not a plain CPUID bit, in one short line.
public struct SyntheticReason: Hashable, Sendable {
    public enum Category: String, Hashable, Sendable, CustomStringConvertible {
        /// Follows from CPUID alone (vendor, family, other bits); vcpuid derives it.
        case cpuid
        /// Needs a model-specific register read (or a write that may fail).
        case msr
        /// Set by hypervisor-guest code (paravirt interfaces, hypervisor leaves, timing).
        case hypervisor
        /// A kernel decision at run time: mitigations, alternatives, command line, configuration.
        case runtime
        /// Follows from the CPU's vendor, family and model tables.
        case model

        public var description: String {
            switch self {
            case .cpuid: "derived from CPUID"
            case .msr: "MSR"
            case .hypervisor: "hypervisor"
            case .runtime: "runtime/alternatives"
            case .model: "vendor/family/model"
            }
        }

        /// Whether vcpuid can reproduce the decision from a CPUID snapshot alone.
        public var isDerivableFromCPUID: Bool { self == .cpuid || self == .model }
    }

    public var category: Category
    public var detail: String

    public init(_ category: Category, _ detail: String) {
        self.category = category
        self.detail = detail
    }

    /// A feature `SyntheticRules` derives: the detail is filled from the rules' conditions.
    init(_ category: Category) { self.init(category, "") }
}
