import CPUID

/// One architectural consistency rule of a CPUID table, as a row of data: a name, what it says, and its test.
///
/// Rules are about CPUID itself (what the SDM says must hold for a table to make sense to a guest), not about
/// any operating system's feature names; the checker applies them to any `Snapshot`.
public struct StructuralRule: Hashable, Sendable, CustomStringConvertible {
    /// Whether breaking the rule refuses a table or only earns a note.
    public enum Severity: String, Hashable, Sendable {
        case error
        case advisory
    }

    /// The leaf ranges whose maximum is enumerated by the range's first leaf.
    public enum LeafRange: String, Hashable, Sendable, CaseIterable {
        case basic
        case hypervisor
        case extended

        /// The leaf whose EAX holds the range's maximum.
        public var firstLeaf: UInt32 {
            switch self {
            case .basic: 0
            case .hypervisor: 0x4000_0000
            case .extended: 0x8000_0000
            }
        }

        /// Whether `leaf` belongs to this range.
        public func contains(_ leaf: UInt32) -> Bool {
            switch self {
            case .basic: leaf < 0x2000_0000
            case .hypervisor: leaf & 0xffff_ff00 == 0x4000_0000
            case .extended: leaf & 0xffff_0000 == 0x8000_0000
            }
        }

        /// The range `leaf` belongs to, if any of these.
        public static func containing(_ leaf: UInt32) -> LeafRange? { allCases.first { $0.contains(leaf) } }
    }

    /// What the rule tests.
    public enum Condition: Hashable, Sendable {
        /// Each of `dependents`, when nonzero, needs `requirement` nonzero.
        case fieldsRequire([RuleField], RuleField)
        /// Any nonzero register in `leaf` at subleaf `fromSubleaf` or above needs `requirement` nonzero.
        case leafRequires(leaf: UInt32, fromSubleaf: UInt32, RuleField)
        /// Each of `features`, when nonzero, needs these XSAVE state components (XCR0 bit numbers)
        /// enumerated in CPUID.(EAX=0DH,ECX=0):EDX:EAX.
        case xsaveComponents([RuleField], components: [Int])
        /// Every entry of the range lies at or below the range's maximum leaf.
        case leafRange(LeafRange)
        /// Every subleaf of `leaf` present lies at or below the maximum subleaf that `maximum` enumerates.
        case subleafRange(leaf: UInt32, maximum: CPUIDField)
        /// Each of `features`, when nonzero, needs these entries present and within their leaf range.
        case fieldsRequireEntries([RuleField], [LeafKey])
        /// Each XSAVE state component n >= 2 enumerated in 0xD.0 EDX:EAX or 0xD.1 EDX:ECX has subleaf n with a
        /// nonzero size in EAX.
        case xsaveComponentSizes
    }

    public var name: String
    /// One sentence a VMM author can act on.
    public var summary: String
    public var condition: Condition
    public var severity: Severity

    public init(_ name: String, _ severity: Severity, _ summary: String, _ condition: Condition) {
        self.name = name
        self.summary = summary
        self.condition = condition
        self.severity = severity
    }

    /// A rule whose violation refuses the table.
    public init(_ name: String, _ summary: String, _ condition: Condition) {
        self.init(name, .error, summary, condition)
    }

    public var description: String { "\(name): \(summary)" }
}
