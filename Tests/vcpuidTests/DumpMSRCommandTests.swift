import Foundation
import XCTest

/// `vcpuid dump` and `convert` with MSRs: JSON and AIDA64 carry them, other formats say what they left out,
/// and Firecracker configurations read like any dump.
final class DumpMSRCommandTests: XCTestCase {
    private static func fixture(_ folder: String, _ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(folder)/\(name)").path
    }

    func testJSONOfAllCPUsCarriesEachCPUsMSRs() throws {
        let result = try CLI.run(["dump", Self.fixture("aida-shapes", "msr-sections.txt"), "--format", "json", "--all-cpus"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertTrue(result.stdout.contains("""
                  "msrs": [
                    {"index": "0x00000017", "value": "0x0000000000000000"},
                    {"index": "0x00000049", "value": null},
                    {"index": "0x0000010a", "value": "0x000000000c0a0ceb"},
            """), result.stdout)
        XCTAssertTrue(result.stdout.contains("{\"index\": \"0x00000199\", \"value\": \"0x0000000000001d00\"}"), result.stdout)
    }

    func testAIDAToJSONToAIDAKeepsEveryMSR() throws {
        let aida = try CLI.run(["dump", Self.fixture("aida-shapes", "msr-sections.txt"), "--format", "aida", "--all-cpus"])
        let json = try CLI.run(["dump", "-", "--format", "json", "--all-cpus"], stdin: Data(aida.stdout.utf8))
        let back = try CLI.run(["dump", "-", "--format", "aida", "--all-cpus"], stdin: Data(json.stdout.utf8))
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(back.stdout, aida.stdout)
        XCTAssertTrue(aida.stdout.contains("------[ MSR Registers / Logical CPU #1 ]------\nMSR 000000CE: 0004-0000-8108-1300\n"), aida.stdout)
        XCTAssertTrue(aida.stdout.contains("MSR 00000049: < FAILED >\n"))
    }

    func testRawTextSaysHowManyMSRsItLeftOutAndStillSucceeds() throws {
        let result = try CLI.run(["dump", Self.fixture("aida-shapes", "msr-sections.txt"), "--all-cpus"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "note: 7 MSRs (cpuid -r text has no place for them) left out; --format json or aida keeps them\n")
        XCTAssertTrue(result.stdout.hasPrefix("CPU 0:\n"))
        let libvirt = try CLI.run(["convert", Self.fixture("aida-shapes", "msr-sections.txt"), "--format", "libvirt", "--cpu", "0"])
        XCTAssertEqual(libvirt.status, 0, libvirt.stderr)
        XCTAssertTrue(libvirt.stderr.contains("note: 1 faulted MSR read (libvirt's <msr> holds a value) left out"), libvirt.stderr)
        XCTAssertTrue(libvirt.stdout.contains("<msr index='0x10a' edx='0x00000000' eax='0x0c0a0ceb'/>"), libvirt.stdout)
    }

    func testFirecrackerTemplateDumpAndBase() throws {
        let full = try CLI.run(["dump", Self.fixture("firecracker", "template-dump.json"), "--format", "json"])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertTrue(full.stdout.contains("{\"index\": \"0x0000010a\", \"value\": \"0x000000000c0a0ceb\"}"), full.stdout)
        let partial = try CLI.run(["dump", Self.fixture("firecracker", "documented-style.json")])
        XCTAssertEqual(partial.status, 2)
        XCTAssertTrue(partial.stderr.contains("documented-style.json:10:31: error: EAX of leaf 0x00000001.0x00 leaves bits unspecified (x)"), partial.stderr)
        let based = try CLI.run(["dump", Self.fixture("firecracker", "documented-style.json"),
                                 "--base", Self.fixture("formats", "json-small.json")])
        XCTAssertEqual(based.status, 0, based.stderr)
        XCTAssertTrue(based.stdout.contains("   0x80000001 0x00:"), based.stdout)
    }

    func testAFileOfNoFormatSaysWhatWasTriedLineByLine() throws {
        let result = try CLI.run(["dump", "-"], stdin: Data("Hardware report\nnothing here\n".utf8))
        XCTAssertEqual(result.status, 2)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 6, result.stderr)
        XCTAssertTrue(lines[0].hasPrefix("<stdin>:1:1: error: unrecognized dump format"), result.stderr)
        XCTAssertTrue(lines[1].contains("raw (cpuid -r): line 1: `Hardware report`"), result.stderr)
    }

    func testMSRFlagsOfDump() throws {
        let dropped = try CLI.run(["dump", Self.fixture("aida-shapes", "msr-sections.txt"), "--all-cpus", "--format", "json", "--no-msrs"])
        XCTAssertEqual(dropped.status, 0, dropped.stderr)
        XCTAssertFalse(dropped.stdout.contains("\"msrs\""))
        let onFile = try CLI.run(["dump", Self.fixture("aida-shapes", "msr-sections.txt"), "--msrs"])
        XCTAssertEqual(onFile.status, 64, "--msrs reads the live CPU")
        if !FileManager.default.fileExists(atPath: "/dev/cpu/0/msr") {
            let live = try CLI.run(["dump", "--msrs"])
            XCTAssertEqual(live.status, 2)
            XCTAssertTrue(live.stderr.contains("/dev/cpu/0/msr does not exist: load the kernel's msr driver"), live.stderr)
            let quiet = try CLI.run(["dump", "--format", "json"])
            XCTAssertEqual(quiet.status, 0, "without --msrs a missing driver is no error")
            XCTAssertFalse(quiet.stdout.contains("\"msrs\""))
        }
    }
}
