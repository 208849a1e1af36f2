import Foundation
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
        let online = (try? String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8)) ?? ""
        if online.trimmingCharacters(in: .whitespacesAndNewlines) == "0-\(ProcessInfo.processInfo.activeProcessorCount - 1)" {
            XCTAssertTrue(result.stdout.contains("logical CPUs online  \(ProcessInfo.processInfo.activeProcessorCount)"), result.stdout)
        }
    }

    func testReportIsAnAlignedTable() throws {
        let result = try CLI.run(["report"])
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
        XCTAssertGreaterThan(rows.count, 8)
        let valueColumns = Set(rows.map { row -> Int in
            let text = Array(row)
            var i = 2
            while i < text.count, !(text[i] == " " && i + 1 < text.count && text[i + 1] == " ") { i += 1 }
            while i < text.count, text[i] == " " { i += 1 }
            return i
        })
        XCTAssertEqual(valueColumns.count, 1, "every value starts in one column: \(result.stdout)")
    }

    func testJSONReportOfADumpFile() throws {
        let result = try CLI.run(["report", DumpCommandTests.fixture("aida-tab-form.txt"), "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let identity = object?["identity"] as? [String: Any]
        XCTAssertEqual(identity?["vendor"] as? String, "AuthenticAMD")
        XCTAssertEqual(identity?["family"] as? Int, 0x10)
        XCTAssertEqual(identity?["model"] as? Int, 4)
        XCTAssertEqual(identity?["stepping"] as? Int, 2)
        XCTAssertEqual(identity?["logical_cpus"] as? Int, 2)
        XCTAssertEqual(identity?["cpu"] as? Int, 1)
        let leaves = object?["leaves"] as? [String: Any]
        XCTAssertEqual(leaves?["basic"] as? String, "0x00000000-0x00000005")
        XCTAssertEqual(leaves?["extended"] as? String, "0x80000000-0x8000001b")
        XCTAssertEqual(leaves?["hypervisor_present"] as? Bool, false)
    }

    func testLiveReportNamesTheHypervisorWhenThereIsOne() throws {
        let result = try CLI.run(["--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let leaves = try XCTUnwrap(object?["leaves"] as? [String: Any])
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        XCTAssertEqual(leaves["hypervisor_present"] as? Bool, cpuinfo.contains(" hypervisor"))
        if leaves["hypervisor_present"] as? Bool == true {
            XCTAssertNotNil(leaves["hypervisor_vendor"] as? String)
        }
    }
}
