import Fleet

/// The heat map page: hosts down, lost features across, a cell per pair (✗ lacks it, ✓ has it); hosts that
/// have every lost feature folded into one row; then, per lost feature, its reason and its hosts.
extension FleetHeatMap {
    public func html(header: ReportHeader) -> String {
        let map = sorted()
        let counts = map.lackingCounts
        let total = map.hosts.count + map.completeHosts.count
        var page = HTMLPage(title: "vcpuid fleet heat map")
        page.append(header.html(title: "Fleet heat map: what the baseline loses, and who loses it"))
        page.append("<p>\(total) hosts, vendor \(HTML.escape(baseline.vendor)), level "
            + "\(HTML.escape(baseline.level?.description ?? "below x86-64-v1")), \(baseline.features.count) common features, "
            + "\(map.features.count) lost; \(map.hosts.count) hosts lack at least one lost feature.</p>\n")
        page.append("<div class=\"hml\">" + HTMLPage.legend([(.absent, "the host lacks it"), (.present, "the host has it")]) + "</div>")
        guard !map.features.isEmpty else {
            page.append("<p>Nothing was lost: every host has every feature of the baseline.</p>\n")
            return page.render()
        }
        page.append("<section id=\"heatmap\"><h2>Hosts × lost features</h2>\n<table class=\"hm\"><thead><tr><th>host</th>")
        for (i, feature) in map.features.enumerated() {
            page.append("<th title=\"\(HTML.escape(feature.linux)): lacked by \(counts[i]); \(HTML.escape(feature.reason.rawValue))\">"
                + "\(HTML.escape(feature.linux))</th>")
        }
        page.append("</tr></thead><tbody>\n")
        let width = map.features.count
        // Cells without closing tags (valid HTML), and a run of features a host has as one cell spanning
        // them: a 1,000-host map over hundreds of lost features stays small, every cell still with a symbol.
        for host in map.hosts {
            var row = "<tr><th class=h>\(HTML.escape(host.name))</th>"
            var next = 0
            var i = 0
            while i < width {
                if next < host.lacking.count, host.lacking[next] == i {
                    row += "<td class=a>✗"
                    next += 1
                    i += 1
                } else {
                    let end = next < host.lacking.count ? host.lacking[next] : width
                    row += end - i == 1 ? "<td class=p>✓" : "<td class=p colspan=\(end - i)>✓"
                    i = end
                }
            }
            page.append(row + "</tr>\n")
        }
        if !map.completeHosts.isEmpty {
            page.append("<tr><th class=h title=\"\(HTML.escape(Self.list(map.completeHosts)))\">\(map.completeHosts.count) host"
                + "\(map.completeHosts.count == 1 ? "" : "s") with all</th>"
                + (width == 1 ? "<td class=p>✓" : "<td class=p colspan=\(width)>✓") + "</tr>\n")
        }
        page.append("</tbody></table></section>\n")

        page.append("<section id=\"lost\"><h2>Each lost feature and its hosts</h2>\n<table><thead><tr><th>feature</th>"
            + "<th>QEMU</th><th>why lost</th><th>hosts lacking it</th></tr></thead><tbody>\n")
        for (i, feature) in map.features.enumerated() {
            let lacking = map.hosts.filter { $0.lacking.contains(i) }.map(\.name)
            var who: String
            if lacking.isEmpty {
                who = "none"
            } else if lacking.count * 2 > total {
                // The smaller side: "all but" the hosts that have it.
                let having = Set(lacking)
                let others = (map.hosts.map(\.name) + map.completeHosts).filter { !having.contains($0) }
                who = "\(lacking.count) of \(total): all but \(others.count)" + (others.isEmpty ? "" : ": " + Self.list(others))
            } else {
                who = "\(lacking.count) of \(total): " + Self.list(lacking)
            }
            page.append("<tr><td><b>\(HTML.escape(feature.linux))</b></td><td>\(HTML.escape(feature.qemu ?? ""))</td><td>"
                + HTML.escape(feature.reason == .lackedByInputs ? "lacked by inputs" : feature.explanation(inputs: baseline.inputCount))
                + "</td><td>"
                + HTML.escape(who) + "</td></tr>\n")
        }
        page.append("</tbody></table></section>\n")
        return page.render()
    }

    static func list(_ names: [String]) -> String { names.joined(separator: ", ") }
}
