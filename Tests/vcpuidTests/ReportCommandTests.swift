import XCTest

final class ReportCommandTests: XCTestCase {
    func testDefaultReportNamesThisMachinesVendor() throws {
        let result = try CLI.run([])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("vendor"), result.stdout)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("vendor_id") }),
           let vendor = line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) {
            XCTAssertTrue(result.stdout.contains(vendor), "report should name \(vendor): \(result.stdout)")
        }
    }
}
