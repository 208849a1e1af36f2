import CPUID
import Fleet
@testable import Pictures
import XCTest

final class FleetHeatMapTests: XCTestCase {
    static let hosts = ["haswell-i7-4770", "skylake-x-i9-10980xe", "ice-lake-i7-1065g7", "coffee-lake-i9-9900k"]

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
        let cells = html.components(separatedBy: "<td class=").count - 1
        XCTAssertGreaterThanOrEqual(cells, sorted.hosts.count * sorted.features.count)
        XCTAssertTrue(html.contains("<section id=\"lost\">"))
    }
}
