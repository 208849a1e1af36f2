import CPUID
import SGX
import X86Features

/// The SGX part of the report: the capability verdict with its reasons, the leaf-function and attribute
/// bits, and the EPC sections drawn to scale. Everything is read from `SGXCapabilityReport`.
public struct SGXSection: Sendable {
    public var report: SGXCapabilityReport

    public init(_ report: SGXCapabilityReport) { self.report = report }

    public func html() -> String {
        let view = report.enumeration
        var out = "<section id=\"sgx\"><h2>SGX</h2>\n"
        out += "<p>SGX: " + verdict(report.sgxAvailable, unknown: false) + " · AEX-Notify: "
            + verdict(report.aexNotify.usable, unknown: !report.aexNotify.unknown.isEmpty) + "</p>\n"
        out += "<table><thead><tr><th></th><th>requirement</th><th>evidence</th></tr></thead><tbody>\n"
        // AEX-Notify's reasons repeat SGX's own first: each requirement once.
        let reasons = report.sgxReasons + report.aexNotify.reasons.filter { !report.sgxReasons.contains($0) }
        for reason in reasons {
            let state: CellState = switch reason.status {
            case .holds: .present
            case .fails: .cleared
            case .unknown: .notRun
            }
            out += "<tr><td class=\"\(state.cssClass)\" title=\"\(HTML.escape(reason.status.rawValue))\">\(state.symbol)</td><td>"
                + HTML.escape(reason.requirement) + "</td><td>" + HTML.escape(reason.evidence) + "</td></tr>\n"
        }
        out += "</tbody></table>\n"
        out += bitTable("Leaf functions — CPUID.(EAX=12H,ECX=0):EAX", SGXEnumeration.capabilityBits,
                        value: UInt64(view.capabilities))
        out += bitTable("Attributes — CPUID.(EAX=12H,ECX=1):EAX/EBX", SGXEnumeration.attributeBits, value: view.attributes)
        out += epcHTML(view.epcSections)
        return out + "</section>\n"
    }

    func verdict(_ yes: Bool, unknown: Bool) -> String {
        if !yes { return "<span class=\"bad\">✗ no</span>" }
        return unknown ? "<span class=\"unk\">? yes, as far as this view tells</span>" : "<span class=\"ok\">✓ yes</span>"
    }

    func bitTable(_ title: String, _ bits: [SGXEnumeration.Bit], value: UInt64) -> String {
        var out = "<h3>\(HTML.escape(title))</h3><table><tbody>\n"
        for bit in bits {
            let set = value & (1 << UInt64(bit.bit)) != 0
            let state: CellState = set ? .present : .absent
            out += "<tr><td class=\"\(state.cssClass)\">\(state.symbol)</td><td>bit \(bit.bit)</td><td><b>"
                + HTML.escape(bit.name) + "</b></td><td>" + HTML.escape(bit.meaning) + "</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// The EPC sections as one bar, each section's width its share of the total.
    func epcHTML(_ sections: [SGXEnumeration.EPCSection]) -> String {
        var out = "<h3>EPC sections</h3>\n"
        let valid = sections.filter { $0.type == 1 && $0.size > 0 }
        guard !valid.isEmpty else { return out + "<p>none enumerated (CPUID leaf 0x12 subleaf 2 and up)</p>\n" }
        let total = valid.reduce(UInt64(0)) { $0 + $1.size }
        // Okabe–Ito, each with the text colour that reads on it.
        let colours = [("#0072B2", "#fff"), ("#E69F00", "#000"), ("#009E73", "#fff"), ("#CC79A7", "#000"),
                       ("#56B4E9", "#000"), ("#D55E00", "#fff")]
        out += "<p>\(valid.count) section\(valid.count == 1 ? "" : "s"), \(HTML.escape(SGXEnumeration.formatBytes(total))) in all</p>\n"
        out += "<div class=\"bar\" role=\"img\" aria-label=\"EPC sections to scale\">"
        for (i, section) in valid.enumerated() {
            let share = Double(section.size) / Double(total) * 100
            let label = "EPC \(i): \(SGXEnumeration.formatBytes(section.size)) at 0x\(String(section.base, radix: 16))"
            out += "<div style=\"width:\(String(format2: share))%;background:\(colours[i % colours.count].0);color:\(colours[i % colours.count].1)\" title=\"\(HTML.escape(label))\">"
                + HTML.escape(label) + "</div>"
        }
        out += "</div>\n<table><thead><tr><th>subleaf</th><th>base</th><th>size</th><th>property</th></tr></thead><tbody>\n"
        for section in sections {
            out += "<tr><td>\(section.subleaf)</td><td>0x\(String(section.base, radix: 16))</td><td>"
                + HTML.escape(SGXEnumeration.formatBytes(section.size)) + "</td><td>"
                + HTML.escape(section.propertyMeaning) + "</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }
}

extension String {
    /// A percentage with two decimals, without Foundation.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
