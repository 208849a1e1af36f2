/// Why no baseline can be computed.
public enum BaselineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No input was given (or every input was skipped).
    case noInputs
    /// The inputs name different vendors: each vendor with how many inputs named it and the first few.
    case mixedVendors([VendorGroup])

    public struct VendorGroup: Hashable, Sendable {
        public var vendor: String
        public var count: Int
        public var examples: [String]
    }

    public var description: String {
        switch self {
        case .noInputs:
            return "no CPUID dumps to compute a baseline from"
        case let .mixedVendors(groups):
            let parts = groups.map { group in
                let more = group.count > group.examples.count ? " and \(group.count - group.examples.count) more" : ""
                return "\(group.vendor.isEmpty ? "(no vendor)" : group.vendor): \(group.examples.joined(separator: ", "))\(more)"
            }
            return "the inputs are from different CPU vendors, and no guest CPU runs on both (CPU vendors do not match): "
                + parts.joined(separator: "; ")
        }
    }
}
