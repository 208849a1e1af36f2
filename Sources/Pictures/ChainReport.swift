import SGX

/// `vcpuid report --html`: the header, the chain matrix with its filter and legend, and the SGX section,
/// as one self-contained page.
public struct ChainReport: Sendable {
    public var header: ReportHeader
    public var matrix: ChainMatrix
    public var sgx: SGXSection
    /// Notes the stages left (model assumptions, guest warnings), shown under the header.
    public var notes: [String]

    public init(header: ReportHeader, matrix: ChainMatrix, sgx: SGXSection, notes: [String] = []) {
        self.header = header
        self.matrix = matrix
        self.sgx = sgx
        self.notes = notes
    }

    public func html() -> String {
        var page = HTMLPage(title: "vcpuid report")
        page.append(header.html(title: "vcpuid report: the feature chain"))
        // A dump missing many leaves gives the model a note per leaf: more than a few fold under one line.
        let lines = notes.map { "note: " + HTML.escape($0) }.joined(separator: "\n")
        if notes.count > 3 {
            page.append("<details><summary>\(notes.count) notes from the model and the guest policy</summary>"
                + "<div class=\"why\">\(lines)</div></details>\n")
        } else if !notes.isEmpty {
            page.append("<div class=\"why\">\(lines)</div>\n")
        }
        let changing = matrix.rows.filter(\.changes).count
        page.append("<section id=\"matrix\"><h2>The chain: CPU → Linux → KVM → guest</h2>\n")
        page.append("<p>\(matrix.rows.count) features, \(changing) of them change along the chain. "
            + "Each stage is compared with the one before it; hover a cell or open a name for the rule's reason.</p>\n")
        page.append(HTMLPage.legend())
        page.append(ChainMatrix.filterControls)
        page.append(matrix.html())
        page.append("</section>\n")
        page.append(sgx.html())
        page.script = ChainMatrix.filterScript
        return page.render()
    }
}
