import Fleet

/// The heat map page: hosts down, lost features across, a cell per pair (✗ lacks it, ✓ has it); hosts that
/// have every lost feature folded into one row; then, per lost feature, its reason and its hosts.
extension FleetHeatMap {
    public func html(header: ReportHeader) -> String {
        let map = sorted()
        let counts = map.lackingCounts
        let total = map.hosts.count + map.completeHosts.count
        // Hosts named after files in one folder are shown by file name; the folder is said once.
        let folder = Self.commonFolder(map.hosts.map(\.name) + map.completeHosts)
        func shown(_ name: String) -> String { String(name.dropFirst(folder.count)) }
        var page = HTMLPage(title: "vcpuid fleet heat map")
        var header = header
        if !folder.isEmpty { header.lines.append(("hosts in", folder)) }
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
        // Cells without closing tags (valid HTML), and each run of equal cells one cell spanning the run (with
        // its symbol): features are sorted by how many hosts lack them, so a 1,000-host map stays small.
        for host in map.hosts {
            var row = "<tr><th class=h>\(HTML.escape(shown(host.name)))</th>"
            var lacks = Array(repeating: false, count: width)
            for i in host.lacking { lacks[i] = true }
            var i = 0
            while i < width {
                var end = i + 1
                while end < width, lacks[end] == lacks[i] { end += 1 }
                row += (lacks[i] ? "<td class=a" : "<td class=p") + (end - i == 1 ? ">" : " colspan=\(end - i)>")
                    + (lacks[i] ? "✗" : "✓")
                i = end
            }
            page.append(row + "</tr>\n")
        }
        if !map.completeHosts.isEmpty {
            page.append("<tr><th class=h title=\"\(HTML.escape(Self.list(map.completeHosts.map(shown))))\">\(map.completeHosts.count) host"
                + "\(map.completeHosts.count == 1 ? "" : "s") with all</th>"
                + (width == 1 ? "<td class=p>✓" : "<td class=p colspan=\(width)>✓") + "</tr>\n")
        }
        page.append("</tbody></table></section>\n")

        page.append("<section id=\"lost\"><h2>Each lost feature and its hosts</h2>\n<table><thead><tr><th>feature</th>"
            + "<th>QEMU</th><th>why lost</th><th>hosts lacking it</th></tr></thead><tbody>\n")
        var lackingByFeature = Array(repeating: [String](), count: map.features.count)
        for host in map.hosts { for i in host.lacking { lackingByFeature[i].append(shown(host.name)) } }
        // Features lost by the very same hosts (a family lost together) name the first of them instead.
        var firstWithHosts: [[String]: String] = [:]
        for (i, feature) in map.features.enumerated() {
            let lacking = lackingByFeature[i]
            var who: String
            if lacking.count > 1, let same = firstWithHosts[lacking] {
                who = "\(lacking.count) of \(total): the same hosts as \(same)"
            } else if lacking.isEmpty {
                who = "none"
            } else if lacking.count * 2 > total {
                // The smaller side: "all but" the hosts that have it.
                let having = Set(lacking)
                let others = (map.hosts.map(\.name) + map.completeHosts).map(shown).filter { !having.contains($0) }
                who = "\(lacking.count) of \(total): all but \(others.count)" + (others.isEmpty ? "" : ": " + Self.list(others))
            } else {
                who = "\(lacking.count) of \(total): " + Self.list(lacking)
            }
            if firstWithHosts[lacking] == nil { firstWithHosts[lacking] = feature.linux }
            page.append("<tr><td><b>\(HTML.escape(feature.linux))</b></td><td>\(HTML.escape(feature.qemu ?? ""))</td><td>"
                + HTML.escape(feature.reason == .lackedByInputs ? "lacked by inputs" : feature.explanation(inputs: baseline.inputCount))
                + "</td><td>"
                + HTML.escape(who) + "</td></tr>\n")
        }
        page.append("</tbody></table></section>\n")
        return page.render()
    }

    static func list(_ names: [String]) -> String { names.joined(separator: ", ") }

    /// The folder (ending in `/`) every name starts with, when there are several names; else empty.
    static func commonFolder(_ names: [String]) -> String {
        guard names.count > 1, var prefix = names.first else { return "" }
        for name in names.dropFirst() where !name.hasPrefix(prefix) {
            prefix = String(zip(prefix, name).prefix { $0 == $1 }.map(\.0))
        }
        guard let slash = prefix.lastIndex(of: "/") else { return "" }
        return String(prefix[...slash])
    }
}
