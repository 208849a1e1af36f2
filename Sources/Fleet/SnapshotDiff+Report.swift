extension SnapshotDiff {
    /// The human report of `diff` and `fleet diff`: features, residual registers, MSRs, hazards marked `!`.
    public func report(first: String, second: String) -> String {
        var lines = ["A: \(first)", "B: \(second)"]
        if isEqual { return (lines + ["equal: no differences"]).joined(separator: "\n") + "\n" }
        func names(_ list: [Feature]) -> String {
            list.map { feature in feature.qemu.map { $0 == feature.linux ? feature.linux : "\(feature.linux) (\($0))" } ?? feature.linux }
                .joined(separator: " ")
        }
        lines.append("")
        lines.append("features only in A (\(onlyInFirst.count)): \(names(onlyInFirst))")
        lines.append("features only in B (\(onlyInSecond.count)): \(names(onlyInSecond))")
        if !registers.isEmpty {
            lines.append("")
            lines.append("registers (bits no named feature explains):")
            let rows = [["leaf", "subleaf", "reg", "A", "B", "bits"]]
                + registers.map { [$0.leaf, $0.subleaf, $0.register, $0.first ?? "-", $0.second ?? "-", $0.bits] }
            lines.append(TextColumns.render(rows, indent: "  "))
        }
        if !msrs.isEmpty {
            lines.append("")
            lines.append("MSRs:")
            let rows = [["index", "A", "B"]] + msrs.map { [$0.index, $0.first ?? "not sampled", $0.second ?? "not sampled"] }
            lines.append(TextColumns.render(rows, indent: "  "))
        }
        if !hazards.isEmpty {
            lines.append("")
            lines.append("migration hazards:")
            for hazard in hazards { lines.append("  ! \(hazard)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `diff --json` of both executables: the two names, whether they are equal, and every difference.
public struct SnapshotDiffDocument: Encodable {
    public var first: String
    public var second: String
    public var equal: Bool
    public var diff: SnapshotDiff

    public init(first: String, second: String, diff: SnapshotDiff) {
        self.first = first
        self.second = second
        equal = diff.isEqual
        self.diff = diff
    }
}
