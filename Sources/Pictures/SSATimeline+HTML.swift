import SGX

/// The timeline page: the scenario's verdict, then a column per step with the SSA stack drawn as frames
/// (saved frames below CSSA, the current frame outlined, armed AEXNOTIFY marked), faults and expectations.
extension SSATimeline {
    public func html(header: ReportHeader) -> String {
        var page = HTMLPage(title: "vcpuid sgx simulate: \(run.scenario)")
        page.append(header.html(title: "SSA stack timeline: \(run.scenario)"))
        let holding = run.expectations.filter(\.holds).count
        page.append("<p>\(passed ? "<span class=\"ok\">✓ PASS</span>" : "<span class=\"bad\">✗ FAIL</span>") · "
            + "\(holding) of \(run.expectations.count) expectations hold · \(run.operations) operations · highest CSSA "
            + "\(run.maxCSSA) · final CSSA \(run.finalCSSA) (\(HTML.escape(run.finalMode)), \(HTML.escape(run.finalState)))"
            + " · \(run.unexpectedFaults.count) unexpected fault\(run.unexpectedFaults.count == 1 ? "" : "s")</p>\n")
        page.append("<p>config: <code>\(HTML.escape(run.configuration))</code></p>\n")
        page.append("<p class=\"legend\"><span class=\"frame saved\">SSA[i]</span> holds a saved context (below CSSA) "
            + "<span class=\"frame cur\">SSA[i]</span> the current frame (CSSA) <span class=\"frame free\">SSA[i]</span> free "
            + "<span class=\"frame free armed\">SSA[i]</span> AEXNOTIFY armed · a thick orange border: the step faulted "
            + "· ✓/✗ an expectation that holds/fails · grey: iterations left out</p>\n")
        page.append("<div class=\"tl\" id=\"timeline\">\n")
        // An expectation is drawn inside the column of the step it checks.
        var open = false
        for column in columns {
            switch column {
            case let .step(record) where record.kind == .expect && open:
                page.append(Self.expectation(record))
            case let .step(record):
                if open { page.append("</div>\n") }
                page.append(Self.column(record))
                open = true
            case let .compressed(iterations, records, operations):
                if open { page.append("</div>\n") }
                open = false
                page.append("<div class=\"col gap\" title=\"\(records) trace records left out\">… iterations "
                    + "\(HTML.escape(iterations))<br>\(operations) operations …</div>\n")
            }
        }
        if open { page.append("</div>\n") }
        page.append("</div>\n")
        if !run.failedExpectations.isEmpty || !run.unexpectedFaults.isEmpty {
            page.append("<h2>Failures</h2><ul>\n")
            for failure in run.failedExpectations {
                page.append("<li>line \(failure.line)\(failure.iteration.map { ", iteration \(HTML.escape($0))" } ?? ""): expected "
                    + "<code>\(HTML.escape(failure.expected))</code>, found <code>\(HTML.escape(failure.actual))</code></li>\n")
            }
            for fault in run.unexpectedFaults {
                page.append("<li>line \(fault.line), step \(fault.step): unexpected \(HTML.escape(fault.fault)) from "
                    + "<code>\(HTML.escape(fault.operation))</code>: \(HTML.escape(fault.rule))</li>\n")
            }
            page.append("</ul>\n")
        }
        return page.render()
    }

    static func expectation(_ record: TraceRecord) -> String {
        let holds = !record.result.hasPrefix("FAILED")
        let text = record.text.hasPrefix("expect ") ? String(record.text.dropFirst(7)) : record.text
        return "<div class=\"exp \(holds ? "ok" : "bad")\" title=\"\(HTML.escape(record.result))\">\(HTML.escape(text))</div>"
    }

    /// A step's column, left open for the expectations that follow it.
    static func column(_ record: TraceRecord) -> String {
        let faulted = record.fault != nil
        var out = "<div class=\"col\(faulted ? " fault" : "")\">"
        var place = "line \(record.line)"
        if let step = record.step { place = "#\(step) · " + place }
        if let iteration = record.iteration { place += " · it. \(iteration)" }
        out += "<div class=\"at\">\(HTML.escape(place))</div>"
        switch record.kind {
        case .operation:
            out += "<div class=\"op\">\(HTML.escape(record.text))</div>"
            if let fault = record.fault {
                out += "<div class=\"bad\" title=\"\(HTML.escape(record.rule ?? ""))\">⚠ \(HTML.escape(fault))</div>"
            }
            // The stack, top frame first.
            for index in stride(from: Int(record.nssa) - 1, through: 0, by: -1) {
                let kind = index < Int(record.cssa) ? "saved" : index == Int(record.cssa) ? "cur" : "free"
                let armed = index < record.aexNotify.count && record.aexNotify[index] & 1 != 0
                out += "<div class=\"frame \(kind)\(armed ? " armed" : "")\">SSA[\(index)]</div>"
            }
            out += "<div>CSSA \(record.cssa)/\(record.nssa) · \(HTML.escape(record.mode))</div>"
            out += "<div class=\"res\" title=\"\(HTML.escape(record.result))\">\(HTML.escape(String(record.result.prefix(60))))</div>"
        case .expect:
            out += expectation(record)
        case .repeatBlock:
            out += "<div class=\"op\">\(HTML.escape(record.text))</div><div>\(HTML.escape(record.result))</div>"
        }
        return out
    }
}
