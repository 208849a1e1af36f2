import CPUID

/// The matrix as an HTML table: a group heading per CPUID register, a row per feature, the reasons on
/// hover (title) and in a `<details>` under the names, which opens without JavaScript.
extension ChainMatrix {
    public func html() -> String {
        var out = "<table class=\"chain\" id=\"chain\">\n<thead><tr><th>feature</th>"
        for column in columns {
            out += "<th title=\"\(HTML.escape(column.detail))\">\(HTML.escape(column.title))</th>"
        }
        out += "</tr></thead>\n"
        var group: String?
        for row in rows {
            let register = Self.registerName(row.field)
            if register != group {
                if group != nil { out += "</tbody>\n" }
                group = register
                out += "<tbody><tr class=\"grp\"><th colspan=\"\(columns.count + 1)\">\(HTML.escape(register))</th></tr>\n"
            }
            out += rowHTML(row)
        }
        if group != nil { out += "</tbody>\n" }
        return out + "</table>\n"
    }

    /// `CPUID.(EAX=07H,ECX=0):EBX`: the SDM notation of the bit without its bit number.
    static func registerName(_ field: CPUIDField) -> String {
        let full = field.description
        guard let bracket = full.lastIndex(of: "[") else { return full }
        return String(full[..<bracket])
    }

    func rowHTML(_ row: ChainRow) -> String {
        var searched = [row.linuxName.lowercased()]
        for name in [row.macro.lowercased(), row.qemuName?.lowercased()].compactMap({ $0 }) where !searched.contains(name) {
            searched.append(name)
        }
        var out = "<tr data-n=\"\(HTML.escape(searched.joined(separator: " ")))\"\(row.changes ? " class=\"chg\"" : "")><td class=\"names\">"
        let names = "<b>\(HTML.escape(row.linuxName))</b><small>\(HTML.escape(row.sdmName))"
            + (row.qemuName.map { $0 == row.linuxName ? "" : " · QEMU \(HTML.escape($0))" } ?? "")
            + (row.macro.lowercased() == row.linuxName ? "" : " · \(HTML.escape(row.macro))") + "</small>"
        // A stage that was not run says why in its heading and on hover; the row's details are about the bit.
        let reasons = zip(columns, row.cells).compactMap { column, cell in
            cell.state == .notRun ? nil : cell.reason.map { "\(column.title): \(cell.state.symbol) \($0)" }
        }
        if reasons.isEmpty {
            out += names
        } else {
            out += "<details><summary>\(names)</summary><div class=\"why\">"
                + reasons.map(HTML.escape).joined(separator: "\n") + "</div></details>"
        }
        out += "</td>"
        for cell in row.cells {
            let title = cell.reason.map { " title=\"\(HTML.escape($0))\"" } ?? ""
            out += "<td class=\"\(cell.state.cssClass)\"\(title)>\(cell.state.symbol)</td>"
        }
        return out + "</tr>\n"
    }

    /// The filter: a name substring and "only rows that change"; hidden until the script shows it, so the
    /// page without JavaScript shows every row and no dead control.
    public static let filterControls = """
        <div class="filter" id="filter" hidden><label>filter <input id="q" type="search" placeholder="name substring"></label>
        <label><input id="chg" type="checkbox"> only rows that change along the chain</label> <span id="shown"></span></div>

        """

    /// The filter's script: shows the controls, then hides rows (and empty groups) that do not match.
    public static let filterScript = """
        (function(){var f=document.getElementById('filter');if(!f)return;f.hidden=false;
        var q=document.getElementById('q'),c=document.getElementById('chg'),s=document.getElementById('shown');
        function run(){var t=q.value.toLowerCase(),n=0,bs=document.querySelectorAll('#chain tbody');
        for(var i=0;i<bs.length;i++){var rs=bs[i].querySelectorAll('tr[data-n]'),k=0;
        for(var j=0;j<rs.length;j++){var r=rs[j],ok=r.getAttribute('data-n').indexOf(t)>=0&&(!c.checked||r.classList.contains('chg'));
        r.classList.toggle('hidden',!ok);if(ok)k++;}bs[i].classList.toggle('hidden',k==0);n+=k;}
        s.textContent=n+' rows shown';}q.addEventListener('input',run);c.addEventListener('change',run);run();
        window.addEventListener('beforeprint',function(){var ds=document.querySelectorAll('details');for(var i=0;i<ds.length;i++)ds[i].open=true;});})();
        """
}

