import CPUID
import Fleet
@testable import Pictures
import XCTest

final class FleetHeatMapTests: XCTestCase {
    static let hosts = ["haswell-i7-4770", "skylake-x-i9-10980xe", "ice-lake-i7-1065g7", "coffee-lake-i9-9900k"]

    func testCommonFolderIsSaidOnce() {
        XCTAssertEqual(FleetHeatMap.commonFolder(["/d/hosts/a.cpuid", "/d/hosts/ab.cpuid"]), "/d/hosts/")
        XCTAssertEqual(FleetHeatMap.commonFolder(["/d/x/a", "/d/y/a"]), "/d/")
        XCTAssertEqual(FleetHeatMap.commonFolder(["a.cpuid", "b.cpuid"]), "")
        XCTAssertEqual(FleetHeatMap.commonFolder(["/d/only.cpuid"]), "")
    }

    func testHostsAndFeaturesSortedSoLossesStandOut() throws {
        var accumulator = BaselineAccumulator()
        var snapshots: [(String, Snapshot)] = []
        for host in Self.hosts {
            let snapshot = try PicturesFixtures.snapshot("Tests/Fixtures/fleet/\(host).cpuid")
            let name = host == "haswell-i7-4770" ? "<old & \"slow\">" : host
            snapshots.append((name, snapshot))
            accumulator.add(snapshot, name: name)
        }
        let baseline = try accumulator.result()
        var map = FleetHeatMap(baseline: baseline)
        for (name, snapshot) in snapshots { map.add(snapshot, name: name) }
        let sorted = map.sorted()
        XCTAssertEqual(sorted.features.count, baseline.lost.count)
        let counts = sorted.lackingCounts
        XCTAssertEqual(counts, counts.sorted(by: >), "most-lacked features first")
        XCTAssertEqual(sorted.hosts.map(\.lacking.count), sorted.hosts.map(\.lacking.count).sorted(by: >))
        // The oldest host lacks the most.
        XCTAssertEqual(sorted.hosts.first?.name, "<old & \"slow\">")
        // Every host that lacks a feature the baseline says was lacked by inputs is marked for it.
        for (i, feature) in sorted.features.enumerated() where feature.reason == .lackedByInputs {
            XCTAssertEqual(counts[i], feature.lackingCount, feature.linux)
        }

        let html = map.html(header: .standard(read: "fleet", kernel: nil, generated: "now"))
        XCTAssertEqual(PicturesFixtures.externalURLs(html), 0)
        XCTAssertTrue(html.contains("<th class=h>&lt;old &amp; &quot;slow&quot;&gt;</th>"))
        XCTAssertFalse(html.contains("<old"))
        // Every host row spans every feature column, its ✗ cells spanning exactly the features it lacks.
        let rows = html.components(separatedBy: "<tr><th class=h>").dropFirst()
        XCTAssertEqual(rows.count, sorted.hosts.count + (sorted.completeHosts.isEmpty ? 0 : 1))
        func span(_ cell: Substring) -> Int {
            cell.hasPrefix(" colspan=") ? Int(cell.dropFirst(9).prefix { $0.isNumber })! : 1
        }
        for (host, row) in zip(sorted.hosts, rows) {
            let body = row.components(separatedBy: "</tr>")[0]
            var lacks = 0
            var has = 0
            for cell in body.split(separator: "<td class=").dropFirst() {
                if cell.hasPrefix("a") { lacks += span(cell.dropFirst()) } else { has += span(cell.dropFirst()) }
            }
            XCTAssertEqual(lacks, host.lacking.count, host.name)
            XCTAssertEqual(lacks + has, sorted.features.count, host.name)
        }
        XCTAssertTrue(html.contains("<section id=\"lost\">"))
    }
}
