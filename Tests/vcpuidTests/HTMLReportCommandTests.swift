import Foundation
import XCTest

/// `report --html`, `sgx simulate --html`, `baseline --html` and `fleet report --html`, run as a user would.
final class HTMLReportCommandTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let dump = root.appendingPathComponent("Tests/Fixtures/sgx/aex-notify-capable.cpuid").path

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func read(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    func testReportOfADumpWritesOneSelfContainedPage() throws {
        let out = directory.appendingPathComponent("report.html").path
        let result = try CLI.run(["report", "--html", out, Self.dump, "--kernel", "6.1", "--disable", "avx"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try read("report.html")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"))
        XCTAssertTrue(html.contains("<table class=\"chain\" id=\"chain\">"))
        XCTAssertTrue(html.contains(">Linux 6.1</th>"))
        XCTAssertTrue(html.contains("--disable avx"), "the guest policy is named in its column")
        XCTAssertTrue(html.contains("not run: a dump"), "a dump's guest-seen column says it was not run")
        XCTAssertTrue(html.contains("<section id=\"sgx\">"))
        // Nothing but the page is left in the folder (no temporary file).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["report.html"])
    }

    /// Live, with /dev/kvm: KVM's real offer and what a real guest saw are columns of the chain.
    func testLiveReportRunsTheGuest() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/kvm") else { throw XCTSkip("no usable /dev/kvm on this machine") }
        let out = directory.appendingPathComponent("live.html").path
        let result = try CLI.run(["report", "--html", out, "live", "--disable", "avx"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try read("live.html")
        XCTAssertTrue(html.contains(">KVM offer (live)</th>"))
        XCTAssertTrue(html.contains("title=\"CPUID run inside a KVM guest"), "the guest ran")
        XCTAssertTrue(html.contains("this machine"))
        XCTAssertFalse(html.contains("not run: a dump"))
    }

    func testUnwritablePathIsAnErrorNamingIt() throws {
        let out = directory.appendingPathComponent("missing/report.html").path
        let result = try CLI.run(["report", "--html", out, Self.dump])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(out), result.stderr)
    }

    func testHTMLOptionsWithoutHTMLAreAUsageError() throws {
        XCTAssertEqual(try CLI.run(["report", Self.dump, "--kernel", "6.1"]).status, 64)
        XCTAssertEqual(try CLI.run(["report", Self.dump, "--enable", "avx"]).status, 64)
    }

    func testSimulateDrawsTheTimelineAndKeepsItsExitStatus() throws {
        let passing = directory.appendingPathComponent("a.html").path
        let a = try CLI.run(["sgx", "simulate", Self.root.appendingPathComponent("Examples/sgx/a-sdk-two-stage-handler.sgx").path,
                             "--html", passing])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertTrue(a.stdout.contains("PASS"), "the text summary still prints")
        let html = try read("a.html")
        XCTAssertTrue(html.contains("id=\"timeline\""))
        XCTAssertTrue(html.contains("89982 operations"))
        XCTAssertLessThan(html.utf8.count, 100_000)

        let scenario = directory.appendingPathComponent("fails.sgx")
        try "config nssa=1\neenter\nexpect cssa=1\neenter\n".write(to: scenario, atomically: true, encoding: .utf8)
        let b = try CLI.run(["sgx", "simulate", scenario.path, "--html", directory.appendingPathComponent("b.html").path])
        XCTAssertEqual(b.status, 1, "a failed expectation still exits 1")
        let failed = try read("b.html")
        XCTAssertTrue(failed.contains("✗ FAIL"))
        XCTAssertTrue(failed.contains("<div class=\"exp bad\""))
        XCTAssertTrue(failed.contains("<div class=\"col fault\">"), "the second EENTER faults")
    }

    func testBaselineAndFleetReportDrawTheHeatMap() throws {
        let fleet = Self.root.appendingPathComponent("Tests/Fixtures/fleet")
        let files = ["haswell-i7-4770.cpuid", "skylake-x-i9-10980xe.cpuid", "ice-lake-i7-1065g7.cpuid"].map {
            fleet.appendingPathComponent($0).path
        }
        let out = directory.appendingPathComponent("baseline.html").path
        let baseline = try CLI.run(["baseline"] + files + ["--html", out])
        XCTAssertEqual(baseline.status, 0, baseline.stderr)
        let html = try read("baseline.html")
        XCTAssertTrue(html.contains("<table class=\"hm\">"))
        XCTAssertTrue(html.contains("<dt>hosts in</dt><dd>\(fleet.path)/</dd>"), "the common folder, once")
        for file in files {
            XCTAssertTrue(html.contains("<th class=h>\(URL(fileURLWithPath: file).lastPathComponent)</th>"), file)
        }

        let db = directory.appendingPathComponent("fleet.sqlite").path
        XCTAssertEqual(try CLI.run(["fleet", "add", "--db", db] + files).status, 0)
        let fleetOut = directory.appendingPathComponent("fleet.html").path
        let report = try CLI.run(["fleet", "report", "--db", db, "--html", fleetOut])
        XCTAssertEqual(report.status, 0, report.stderr)
        let fleetHTML = try read("fleet.html")
        XCTAssertTrue(fleetHTML.contains("<th class=h>haswell-i7-4770</th>"), "hosts are named after their files")
        XCTAssertEqual(fleetHTML.components(separatedBy: "<th class=h>").count, html.components(separatedBy: "<th class=h>").count)
    }
}
