import Foundation
import XCTest

/// One meaning per exit status across commands: 0 yes, 1 a "no" verdict, 2 could not answer, 64 usage.
final class ExitStatusTests: XCTestCase {
    private var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sgx/aex-notify-capable.cpuid").path
    }

    func testUnreadableInputIsAFailureToAnswer() throws {
        for arguments in [["dump", "/nonexistent/dump.txt"], ["decode", "/nonexistent/dump.txt"],
                          ["flags", "/nonexistent/dump.txt"], ["explain", "sgx1", "/nonexistent/dump.txt"],
                          ["sgx", "/nonexistent/dump.txt"]] {
            let result = try CLI.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: /nonexistent/dump.txt"), "\(arguments): \(result.stderr)")
        }
    }

    func testUnknownFeatureIsAFailureToAnswer() throws {
        let result = try CLI.run(["explain", "no_such_feature", fixture])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("Error: no feature or bug named"), result.stderr)
    }

    func testCommandLineMistakesKeepTheUsageStatus() throws {
        let result = try CLI.run(["dump", "--no-such-option"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("Usage: vcpuid dump"), result.stderr)
    }

    func testHelpIsNotAnError() throws {
        let result = try CLI.run(["dump", "--help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("USAGE"), result.stdout)
    }

    func testANegativeVerdictIsOne() throws {
        let scenario = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID()).sgx")
        defer { try? FileManager.default.removeItem(at: scenario) }
        try "eenter\nexpect cssa=1\n".write(to: scenario, atomically: true, encoding: .utf8)
        let result = try CLI.run(["sgx", "simulate", scenario.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
    }
}
