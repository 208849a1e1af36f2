import Foundation
import XCTest

/// Regression tests from the QA pass: bad names and versions on the command line are refused clearly.
final class QAInputTests: XCTestCase {
    private var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sgx/aex-notify-capable.cpuid").path
    }

    func testMisspeltFeatureGetsAnEditDistanceSuggestion() throws {
        let explain = try CLI.run(["explain", "sgx_edecssa", fixture])
        XCTAssertNotEqual(explain.status, 0)
        XCTAssertTrue(explain.stderr.contains("did you mean SGX_EDECCSSA"), explain.stderr)
        let kvm = try CLI.run(["kvm", "explain", "sgx_edecssa", fixture, "--kernel", "6.2"])
        XCTAssertNotEqual(kvm.status, 0)
        XCTAssertTrue(kvm.stderr.contains("did you mean SGX_EDECCSSA"), kvm.stderr)
    }

    func testKernelOlderThanEveryProfileIsRefused() throws {
        for arguments in [["explain", "sgx", fixture, "--kernel", "5.0"], ["flags", fixture, "--kernel", "4.19"],
                          ["guest", "show", "--base", fixture, "--kernel", "5.4.0-150-generic"]] {
            let r = try CLI.run(arguments)
            XCTAssertNotEqual(r.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("vcpuid carries Linux tables from 5.10 on"), r.stderr)
            XCTAssertEqual(r.stdout, "", "no partial output for \(arguments)")
        }
    }

    func testNewerKernelSaysWhichProfileModelsIt() throws {
        let r = try CLI.run(["flags", fixture, "--kernel", "7.3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Linux 7.3 is newer than every carried profile; answering with the newest, 7.0"), r.stderr)
    }

    func testClearOfAFeatureNumberBeyondTheWordsIsRefused() throws {
        let r = try CLI.run(["flags", fixture, "--clear", "99999"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--clear 99999"), r.stderr)
        let inRange = try CLI.run(["flags", fixture, "--clear", "\(9 * 32 + 2)", "--json"])
        XCTAssertEqual(inRange.status, 0, inRange.stderr)
        XCTAssertFalse(inRange.stdout.contains("\"SGX\""), "clearing 9*32+2 clears SGX")
    }

    func testUnreadableScenarioIsAPositionedErrorWithStatus2() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-scenario-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let asDirectory = try CLI.run(["sgx", "simulate", directory.path])
        XCTAssertEqual(asDirectory.status, 2)
        XCTAssertTrue(asDirectory.stderr.contains("it is a directory"), asDirectory.stderr)
        let binary = directory.appendingPathComponent("binary.sgx")
        try Data("eenter\naex\u{1}\n".utf8).write(to: binary)
        let garbage = try CLI.run(["sgx", "simulate", binary.path])
        XCTAssertEqual(garbage.status, 2)
        XCTAssertTrue(garbage.stderr.contains("binary.sgx:2:4: error: binary data (byte 0x01)"), garbage.stderr)
        XCTAssertEqual(garbage.stdout, "")
    }

    func testDecodeOfALeafTheDumpLacksIsAnError() throws {
        let r = try CLI.run(["decode", fixture, "--leaf", "0x99"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("enumerates leaf 0x00000099"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        let present = try CLI.run(["decode", fixture, "--leaf", "0x12"])
        XCTAssertEqual(present.status, 0, present.stderr)
    }

    func testTemplateThatIsADirectoryIsAClearError() throws {
        let r = try CLI.run(["guest", "show", "--base", fixture, "--template", FileManager.default.temporaryDirectory.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot read: it is a directory"), r.stderr)
    }

    func testCompareWithADirectoryOrBinaryFileIsAClearError() throws {
        let directory = try CLI.run(["flags", fixture, "--compare", FileManager.default.temporaryDirectory.path])
        XCTAssertNotEqual(directory.status, 0)
        XCTAssertTrue(directory.stderr.contains("cannot read: it is a directory"), directory.stderr)
        XCTAssertFalse(directory.stderr.contains("NSCocoaErrorDomain"), directory.stderr)
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("qa-cpuinfo-\(getpid()).bin")
        try Data([0x70, 0x72, 0x00, 0x01]).write(to: binary)
        defer { try? FileManager.default.removeItem(at: binary) }
        let garbage = try CLI.run(["flags", fixture, "--compare", binary.path])
        XCTAssertNotEqual(garbage.status, 0)
        XCTAssertTrue(garbage.stderr.contains("binary data: expected /proc/cpuinfo text"), garbage.stderr)
    }

    func testAFailureWhileRunningDoesNotPrintTheRootUsage() throws {
        let r = try CLI.run(["explain", "no_such_feature_at_all", fixture])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("Error: no feature or bug named"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Usage: vcpuid <subcommand>"), r.stderr)
        let usage = try CLI.run(["dump", "--format", "xyz"])
        XCTAssertNotEqual(usage.status, 0)
        XCTAssertTrue(usage.stderr.contains("Usage: vcpuid dump"), "command-line mistakes still show their usage")
    }

    func testADumpWithoutEntriesDoesNotClaimTheFileIsEmpty() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qa-no-cpus-\(getpid()).json")
        try Data("{\"cpus\": []}".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CLI.run(["dump", file.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no CPUID entries"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testJSONFlagAndAnotherFormatConflict() throws {
        for arguments in [["guest", "show", "--base", fixture], ["kvm", "predict", fixture, "--kernel", "6.2"]] {
            let r = try CLI.run(arguments + ["--format", "raw", "--json"])
            XCTAssertNotEqual(r.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("--json and --format raw"), r.stderr)
            XCTAssertEqual(r.stdout, "")
            let same = try CLI.run(arguments + ["--format", "json", "--json"])
            XCTAssertEqual(same.status, 0, same.stderr)
        }
    }

    func testOutputThatNamesNoFileIsRefused() throws {
        for output in ["", "\(FileManager.default.temporaryDirectory.path)/"] {
            let r = try CLI.run(["convert", fixture, "--format", "json", "--output", output])
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains("names no file"), r.stderr)
        }
    }

    func testNegativeNumbersReachTheirRangeCheck() throws {
        let cases: [([String], String)] = [
            (["flags", fixture, "--cpu", "-1"], "--cpu must be a CPU number (0 or more), not -1"),
            (["sgx", "explore", "--depth", "-3"], "--depth must be 0...64 (found -3)"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
    }

    func testKVMExplainOfABugSaysWhyAndSuggestionsAreAcceptedSpellings() throws {
        let bug = try CLI.run(["kvm", "explain", "spectre_v2", fixture, "--kernel", "6.2"])
        XCTAssertNotEqual(bug.status, 0)
        XCTAssertTrue(bug.stderr.contains("X86_BUG_SPECTRE_V2, a bug flag"), bug.stderr)
        let near = try CLI.run(["explain", "spectre_v3", fixture])
        XCTAssertTrue(near.stderr.contains("did you mean BUG_SPECTRE_V1"), near.stderr)
        let accepted = try CLI.run(["explain", "BUG_SPECTRE_V1", fixture])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
    }
}
