/// One self-contained HTML page: inline style (screen and print), an optional inline script, nothing
/// fetched from anywhere, so the file reads the same offline and in an air-gapped room.
public struct HTMLPage: Sendable {
    public var title: String
    /// The body's markup, appended by the pictures.
    public private(set) var body: String = ""
    /// A little inline script (the filter); the page must work without it.
    public var script: String?

    public init(title: String) { self.title = title }

    /// Appends markup that is already HTML (build it with `HTML.escape` for every piece of text).
    public mutating func append(_ markup: String) { body += markup }

    /// The complete document.
    public func render() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += "<title>\(HTML.escape(title))</title>\n<style>\(Self.style)</style></head>\n<body>\n"
        out += body
        if let script { out += "<script>\(script)</script>\n" }
        out += "</body></html>\n"
        return out
    }

    /// The legend of cell states, symbol and colour together.
    public static func legend(_ entries: [(CellState, String)] = CellState.allCases.map { ($0, $0.label) }) -> String {
        var out = "<p class=\"legend\">"
        for (state, label) in entries {
            out += "<span class=\"\(state.cssClass) key\">\(state.symbol)</span> \(HTML.escape(label)) "
        }
        return out + "</p>\n"
    }

    /// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), a symbol in every
    /// cell, and a print sheet that keeps the colours and drops the controls.
    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#111;background:#fff}
        h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.5em;border-bottom:1px solid #999}
        table{border-collapse:collapse}th,td{padding:1px 5px;border:1px solid #ccc;vertical-align:top}
        thead th{position:sticky;top:0;background:#f4f4f4}
        td.p,td.a,td.c,td.g,td.m,td.n{text-align:center;font-weight:bold;min-width:2.2em}
        .p{background:#009E73;color:#fff}.a{background:#f2f2f2;color:#777}.c{background:#D55E00;color:#fff}
        .g{background:#56B4E9;color:#000}.m{background:#CC79A7;color:#000}.n{background:#fff;color:#999}
        .key{display:inline-block;width:1.6em;text-align:center;font-weight:bold;border:1px solid #999}
        .legend{margin:.5em 0}.grp th{background:#e8e8f0;text-align:left;font-family:monospace}
        .names small{color:#555;margin-left:.6em}.names details{display:inline}.names summary{cursor:pointer}
        .why{font-size:.9em;color:#333;margin:.2em 0 .2em 1em;white-space:pre-wrap}
        dl.hdr{display:grid;grid-template-columns:max-content auto;gap:0 1em}dl.hdr dt{font-weight:bold}
        dl.hdr dd{margin:0}.ok{color:#007a58;font-weight:bold}.bad{color:#b34700;font-weight:bold}
        .unk{color:#555;font-weight:bold}.bar{display:flex;border:1px solid #333;height:2em;margin:.3em 0}
        .bar div{border-right:1px solid #fff;overflow:hidden;font-size:.8em;padding:2px;white-space:nowrap}
        .filter{margin:.5em 0}.hidden{display:none}
        .tl{display:flex;flex-wrap:wrap;align-items:stretch;gap:6px 3px;padding-bottom:.5em}
        .col{display:flex;flex-direction:column;width:7.6em;border:1px solid #bbb;padding:2px;font-size:.78em;overflow-wrap:anywhere}
        .col .at{color:#555}.col .op{font-weight:bold;font-family:monospace;min-height:2.5em}.col .res{color:#444;font-size:.9em}
        .frame{border:1px solid #333;margin:1px 0;padding:1px 2px;font-family:monospace}
        .frame.cur{outline:3px solid #0072B2;outline-offset:-3px}.frame.saved{background:#E69F00;color:#000}.frame.free{background:#fff;color:#888}
        .frame.armed::after{content:" ◆armed"}.col.fault{border:3px solid #D55E00}.col.gap{background:#eee;justify-content:center;text-align:center;font-weight:bold}
        .exp{margin-top:2px;font-family:monospace}.exp.ok::before{content:"✓ "}.exp.bad::before{content:"✗ "}
        .hm td.a,.hml .a{background:#D55E00;color:#fff}.hm td.p,.hml .p{background:#e3f4ec;color:#00795a}
        .hm td{min-width:1.2em;padding:0 2px;font-size:.8em}.hm th.h{text-align:left;font-family:monospace;white-space:nowrap}
        .hm thead th{writing-mode:vertical-rl;transform:rotate(180deg);font-family:monospace;font-weight:normal}
        @media print{.filter{display:none}body{margin:0;font-size:10px}thead th{position:static}
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        tr{break-inside:avoid}}
        """
}
