import CPUID

/// One way a table breaks a `StructuralRule`: what is wrong and where, with the rule that says so.
public struct RuleViolation: Hashable, Sendable, CustomStringConvertible {
    /// The part of the table that breaks the rule, and what a repair would change.
    public enum Subject: Hashable, Sendable, CustomStringConvertible {
        /// A field that is set although its requirement is not met.
        case field(RuleField)
        /// An entry that should not be there (out of range, or content without its feature).
        case entry(LeafKey)
        /// An XSAVE state component (XCR0 bit number) enumerated without its size subleaf.
        case component(Int)

        public var description: String {
            switch self {
            case let .field(field): field.description
            case let .entry(key): "entry \(key)"
            case let .component(bit): "XSAVE state component \(bit)"
            }
        }
    }

    public var rule: StructuralRule
    public var subject: Subject
    /// The field the rule wants set and finds clear, when the rule is about one (for dependency chains).
    public var requirement: RuleField?
    /// The whole finding in one sentence.
    public var detail: String

    public init(rule: StructuralRule, subject: Subject, requirement: RuleField? = nil, detail: String) {
        self.rule = rule
        self.subject = subject
        self.requirement = requirement
        self.detail = detail
    }

    public var severity: StructuralRule.Severity { rule.severity }

    /// `[sgx-functions-need-sgx1] EDECCSSA CPUID.(EAX=12H,ECX=0):EAX[11] is set but SGX1 ... is clear`
    public var description: String { "[\(rule.name)] \(detail)" }
}
