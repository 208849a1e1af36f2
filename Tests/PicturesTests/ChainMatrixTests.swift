import CPUID
import Fleet
import KVM
@testable import Pictures
import SGX
import X86Features
import XCTest

final class ChainMatrixTests: XCTestCase {
    static let fixture = "Tests/Fixtures/sgx/aex-notify-capable.cpuid"

    func testEveryFeatureIsARowWithACellPerColumn() throws {
        let matrix = ChainMatrix(try PicturesFixtures.chainInputs(Self.fixture, kernel: "6.18"))
        XCTAssertEqual(matrix.columns.map(\.stage), [.cpu, .linux, .kvmModel, .guestTable, .guestSeen])
        XCTAssertEqual(matrix.rows.count, FeatureBits.shared.all.count)
        for row in matrix.rows { XCTAssertEqual(row.cells.count, matrix.columns.count, row.macro) }
        // A dump has no guest to run: every "guest seen" cell says so.
        XCTAssertTrue(matrix.rows.allSatisfy { $0.cells[4].state == .notRun })
        let html = matrix.html()
        XCTAssertEqual(html.components(separatedBy: "<tr data-n=").count - 1, matrix.rows.count)
        for row in matrix.rows {
            XCTAssertTrue(html.contains("<b>\(HTML.escape(row.linuxName))</b>"), row.linuxName)
        }
    }

    /// The fixture's SGX bits along the chain with Linux 6.1 (no EDECCSSA macro yet) and a guest policy.
    func testCellsFollowTheStagesReasons() throws {
        let inputs = try PicturesFixtures.chainInputs(Self.fixture, kernel: "6.1", edits: [.disable(["avx"])])
        let matrix = ChainMatrix(inputs)
        func row(_ macro: String) throws -> ChainRow { try XCTUnwrap(matrix.rows.first { $0.macro == macro }, macro) }

        let edeccssa = try row("SGX_EDECCSSA")
        XCTAssertEqual(edeccssa.cells[0].state, .present)
        XCTAssertEqual(edeccssa.cells[1].state, .cleared)
        XCTAssertTrue(edeccssa.cells[1].reason?.contains("6.1") == true, edeccssa.cells[1].reason ?? "")
        XCTAssertTrue(edeccssa.changes)

        let avx = try row("AVX")
        XCTAssertEqual(avx.cells.prefix(3).map(\.state), [.present, .present, .present])
        XCTAssertEqual(avx.cells[3].state, .cleared)
        XCTAssertTrue(avx.cells[3].reason?.contains("disabled by the guest policy") == true, avx.cells[3].reason ?? "")

        // KVM offers ARAT (always running APIC timer) whatever the CPU says: a "changed" cell with the model's reason.
        let arat = try row("ARAT")
        XCTAssertEqual(arat.cells[0].state, .absent)
        XCTAssertEqual(arat.cells[2].state, .changed)
        XCTAssertNotNil(arat.cells[2].reason)
        XCTAssertEqual(arat.cells[3].state, .present)

        let html = matrix.html()
        for state in [CellState.present, .absent, .cleared, .changed, .notRun] {
            XCTAssertTrue(html.contains("<td class=\"\(state.cssClass)\""), "no \(state) cell")
        }
        XCTAssertTrue(html.contains("class=\"chg\""))
    }

    /// Every state's class and symbol reach the page, and names cannot break out of their markup.
    func testEveryStateAndEscapedNames() {
        let columns = CellState.allCases.map { ChainColumn(stage: .cpu, title: "<\($0.rawValue)>", detail: "\"d\"") }
        let row = ChainRow(field: CPUIDField(7, 0, .ebx, bit: 5), macro: "EVIL<&>", linuxName: "evil<script>&\"'",
                           qemuName: "q<e>", cells: CellState.allCases.map { ChainCell($0, "why <b> & \"quoted\"") })
        let html = ChainMatrix(columns: columns, rows: [row]).html()
        for state in CellState.allCases {
            XCTAssertTrue(html.contains("<td class=\"\(state.cssClass)\" title=\"why &lt;b&gt; &amp; &quot;quoted&quot;\">\(state.symbol)</td>"),
                          "\(state)")
        }
        XCTAssertTrue(html.contains("<b>evil&lt;script&gt;&amp;&quot;&#39;</b>"))
        XCTAssertTrue(html.contains("QEMU q&lt;e&gt;"))
        XCTAssertTrue(html.contains("EVIL&lt;&amp;&gt;"))
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("<e>"))
    }

    func testReportPageIsSelfContainedAndSmall() throws {
        let inputs = try PicturesFixtures.chainInputs(Self.fixture, kernel: "6.18")
        let snapshot = inputs.cpu
        let report = ChainReport(header: .standard(read: "fixture <&>", kernel: "Linux 6.18", generated: "now"),
                                 matrix: ChainMatrix(inputs),
                                 sgx: SGXSection(SGXCapabilityReport(snapshot, source: .dump)))
        let html = report.html()
        XCTAssertEqual(PicturesFixtures.externalURLs(html), 0)
        XCTAssertFalse(html.contains("src="), "no external scripts, images or fonts")
        XCTAssertFalse(html.contains("<link"), "no external stylesheets")
        XCTAssertLessThan(html.utf8.count, 300_000)
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertTrue(html.contains("<details>"))
        XCTAssertTrue(html.contains("fixture &lt;&amp;&gt;"))
        XCTAssertTrue(html.contains("id=\"filter\" hidden"), "the filter shows only when the script runs")
        // The SGX section: the verdict, the leaf-function bits, and the EPC drawn to scale.
        XCTAssertTrue(html.contains("<section id=\"sgx\">"))
        XCTAssertTrue(html.contains("EDECCSSA"))
        XCTAssertTrue(html.contains("AEXNOTIFY"))
        XCTAssertTrue(html.contains("class=\"bar\""), "EPC sections")
        XCTAssertEqual(html.components(separatedBy: ">SGX enumerated<").count - 1, 1, "each requirement once")
    }
}
