/// A feature some input has that the baseline does not offer, and why.
public struct LostFeature: Hashable, Sendable, Encodable {
    public enum Reason: String, Hashable, Sendable, Encodable {
        /// Some inputs lack the bit (or its leaf lies above their maximum leaf).
        case lackedByInputs = "lacked by inputs"
        /// Linux's dependency table clears it with a feature the baseline lost.
        case dependency
        /// An XSAVE state component it needs is not common to all inputs.
        case xsaveComponent = "XSAVE state component"
        /// `--migratable` removed it.
        case notMigratable = "not migratable"
    }

    public var linux: String
    public var qemu: String?
    public var macro: String
    public var reason: Reason
    /// How many inputs lack the bit, and the first few of them by name.
    public var lackingCount: Int
    public var lacking: [String]
    /// For a dependency, the feature whose loss took this one along; for a component, which one.
    public var cause: String?
}

extension LostFeature {
    /// One line saying why: who lacks it (the first few of them), or what took it along.
    public func explanation(inputs: Int) -> String {
        switch reason {
        case .lackedByInputs:
            let more = lackingCount > lacking.count ? ", …" : ""
            return "lacked by \(lackingCount) of \(inputs): \(lacking.joined(separator: ", "))\(more)"
        case .dependency:
            return "dependency: cleared with \(cause ?? "a lost feature")"
        case .xsaveComponent:
            return "XSAVE state component \(cause ?? "") not common to all inputs"
        case .notMigratable:
            return "not migratable (--migratable)"
        }
    }
}
