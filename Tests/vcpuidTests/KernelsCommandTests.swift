import Foundation
import XCTest

/// Every carried release answers `flags --kernel V`; `vcpuid kernels` lists them and dates features.
final class KernelsCommandTests: XCTestCase {
    private var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sgx/aex-notify-capable.cpuid").path
    }

    /// The carried releases, as `vcpuid kernels --json` lists them.
    private func carried() throws -> [String] {
        let list = try CLI.run(["kernels", "--json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        return rows.compactMap { $0["release"] as? String }
    }

    func testFlagsAnswersForEveryCarriedRelease() throws {
        let releases = try carried()
        XCTAssertEqual(releases.first, "5.10")
        XCTAssertTrue(releases.contains("6.8") && releases.contains("6.12") && releases.contains("7.0"), "\(releases)")
        for release in releases {
            let r = try CLI.run(["flags", fixture, "--kernel", release, "--json"])
            XCTAssertEqual(r.status, 0, "\(release): \(r.stderr)")
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(object["kernel"] as? String, release)
            XCTAssertEqual(r.stderr, "", "an exact release needs no note")
        }
    }

    func testAnyReleaseStringIsAccepted() throws {
        let point = try CLI.run(["flags", fixture, "--kernel", "6.18.44-fc-v1045"])
        XCTAssertEqual(point.status, 0, point.stderr)
        XCTAssertTrue(point.stdout.contains("Linux 6.18 model"), point.stdout)
        XCTAssertTrue(point.stderr.contains("profile: Linux 6.18.0 tables; this host runs 6.18.44"), point.stderr)
        let gap = try CLI.run(["flags", fixture, "--kernel", "v6.3"])
        XCTAssertEqual(gap.status, 0, gap.stderr)
        XCTAssertTrue(gap.stderr.contains("no tables for Linux 6.3; answering with 6.2"), gap.stderr)
    }

    func testKernelsListsReleasesAndDatesFeatures() throws {
        XCTAssertEqual(try carried().count, Set(try carried()).count)
        let dated = try CLI.run(["kernels", "sgx-edeccssa"])
        XCTAssertTrue(dated.stdout.contains("added in  v6.2"), dated.stdout)
        let removed = try CLI.run(["kernels", "K7", "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(removed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["removedIn"] as? String, "after v5.11, by v5.15")
        let explain = try CLI.run(["explain", "sgx", fixture, "--kernel", "6.8"])
        XCTAssertTrue(explain.stdout.contains("added in   v5.11"), explain.stdout)
    }
}
