import CPUID
import KVM
import X86Features

/// One value in a report, typed so that `--json` keeps numbers as numbers.
enum ReportValue {
    case text(String)
    case number(Int)
    case flag(Bool)
    case list([ReportValue])
    /// Named values, e.g. one feature with its name, field and reason.
    case object([(key: String, value: ReportValue)])
    /// A value that reads differently for people than in JSON, e.g. `0x19 (25)` vs 25.
    indirect case shown(ReportValue, as: String)
    case none

    var humanText: String {
        switch self {
        case let .text(s): s
        case let .number(n): String(n)
        case let .flag(b): b ? "yes" : "no"
        case let .list(items): items.map(\.humanText).joined(separator: ", ")
        case let .object(members): members.map { "\($0.key) \($0.value.humanText)" }.joined(separator: ", ")
        case let .shown(_, text): text
        case .none: "-"
        }
    }

    func json(into out: inout String) {
        switch self {
        case let .text(s): ReportValue.appendJSONString(s, into: &out)
        case let .number(n): out += String(n)
        case let .flag(b): out += b ? "true" : "false"
        case let .list(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.json(into: &out)
            }
            out += "]"
        case let .object(members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += ", " }
                ReportValue.appendJSONString(member.key, into: &out)
                out += ": "
                member.value.json(into: &out)
            }
            out += "}"
        case let .shown(value, _): value.json(into: &out)
        case .none: out += "null"
        }
    }

    static func appendJSONString(_ s: String, into out: inout String) { out += JSONEscaping.quoted(s) }
}

/// One row: a JSON key, the label a person reads, and the value.
struct ReportRow {
    var key: String
    var label: String
    var value: ReportValue
    /// Lines printed under the value for people (e.g. one unoffered feature each); JSON has them in `value`.
    var details: [String] = []
}

/// One titled block of the report. Each section is built by one function of `ReportContext`.
struct ReportSection {
    var key: String
    var title: String
    var rows: [ReportRow]
}

/// What every report section can look at. Whatever two sections share (the Linux view, the live KVM
/// state) is computed once here, so that the report never asks the kernel the same thing twice.
struct ReportContext {
    var snapshot: Snapshot
    var cpuNumber: Int
    var logicalCPUs: Int
    var source: String
    var isLive: Bool
    /// The running kernel's release string (`uname -r`); nil for a dump or when uname fails.
    var kernelRelease: String?
    /// The Linux profile the report models, and the boot options applied (this machine's /proc/cmdline when live).
    var kernel: KernelProfile
    var linux: LinuxView
    /// /dev/kvm and /sys/module as read once; nil for a dump.
    var kvm: KVMReportSection?
    /// --verbose: list everything (e.g. every feature KVM does not offer).
    var verbose: Bool
    /// Where the host's feature MSRs came from, or why there are none.
    var msrSource: String = ""
}

/// Renders sections as aligned text or as one JSON object.
enum ReportRenderer {
    static func text(_ sections: [ReportSection]) -> String {
        let width = sections.flatMap(\.rows).map(\.label.count).max() ?? 0
        var out = ""
        for (i, section) in sections.enumerated() {
            if i > 0 { out += "\n" }
            out += section.title + "\n"
            for row in section.rows {
                out += "  " + row.label + String(repeating: " ", count: width - row.label.count) + "  " + row.value.humanText + "\n"
                for line in row.details {
                    out += "  " + String(repeating: " ", count: width) + "  - " + line + "\n"
                }
            }
        }
        return out
    }

    static func json(_ sections: [ReportSection]) -> String {
        var out = "{\n"
        for (i, section) in sections.enumerated() {
            out += "  "
            ReportValue.appendJSONString(section.key, into: &out)
            out += ": {"
            for (k, row) in section.rows.enumerated() {
                out += k == 0 ? "\n    " : ",\n    "
                ReportValue.appendJSONString(row.key, into: &out)
                out += ": "
                row.value.json(into: &out)
            }
            out += section.rows.isEmpty ? "}" : "\n  }"
            out += i + 1 < sections.count ? ",\n" : "\n"
        }
        out += "}\n"
        return out
    }
}
