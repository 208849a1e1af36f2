import X86Features

/// `vcpuid flags --json`.
struct FlagsJSON: Encodable {
    var kernel: String
    var requestedKernel: String
    var kernelNotes: [String]
    var flags: [String]
    var bugs: [String]
    var features: [String]
    /// Bugs (and IBRS_ENHANCED) that need an MSR the input does not carry.
    var undecidedBugs: [UndecidedBugJSON]
}

/// One undecided bit of `flags --json` and `explain`.
struct UndecidedBugJSON: Encodable {
    var name: String
    var proc: String?
    var kind: String
    var missingMSRs: [String]
    var reason: String

    init(_ bug: UndecidedBug) {
        name = bug.name
        proc = bug.procName
        kind = bug.isBug ? "bug" : "flag"
        missingMSRs = bug.missingMSRs.map { "0x" + String($0, radix: 16, uppercase: true) }
        reason = bug.reason
    }
}

/// `vcpuid flags --compare FILE --json`: each difference with its verdict.
struct FlagComparisonJSON: Encodable {
    struct Difference: Encodable {
        var name: String
        var kind: String
        var side: String
        var macro: String?
        var verdict: String
        /// Only for differences set from outside CPUID: msr, hypervisor, run time, ...
        var category: String?
        var reason: String

        /// `macro` is always present (null when the name has no macro); `category` only where it applies.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(side, forKey: .side)
            try c.encode(macro, forKey: .macro)
            try c.encode(verdict, forKey: .verdict)
            try c.encodeIfPresent(category, forKey: .category)
            try c.encode(reason, forKey: .reason)
        }

        private enum CodingKeys: String, CodingKey { case name, kind, side, macro, verdict, category, reason }
    }

    var kernel: String
    var processor: Int
    var matching: Int
    var differences: [Difference]
    var unexplained: Int

    init(_ comparison: FlagComparison, kernel: KernelVersion, processor: Int) {
        self.kernel = kernel.description
        self.processor = processor
        matching = comparison.matching
        unexplained = comparison.unexplained.count
        differences = comparison.differences.map { difference in
            var row = Difference(name: difference.name, kind: difference.isBug ? "bug" : "flag", side: difference.side.rawValue,
                                 macro: difference.macro, verdict: "", category: nil, reason: "")
            switch difference.verdict {
            case let .outsideCPUID(reason):
                row.verdict = "outside CPUID"
                row.category = reason.category.description
                row.reason = reason.detail
            case let .undecided(detail):
                row.verdict = "undecided"
                row.reason = detail
            case let .unexplained(detail):
                row.verdict = "unexplained"
                row.reason = detail
            }
            return row
        }
    }
}
