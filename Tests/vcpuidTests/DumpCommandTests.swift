import Foundation
import XCTest

final class DumpCommandTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/formats/\(name)").path
    }

    func testLiveRawDumpIsByteForByteWhatCpuidPrints() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/cpuid"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") else {
            throw XCTSkip("Debian's cpuid (and taskset) are not installed: apt-get install cpuid")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-c", "0", "cpuid", "-1", "-r"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let theirs = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let ours = try CLI.run(["dump", "--cpu", "0", "--format", "raw"])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        // Every line cpuid prints, in its order and byte for byte; on a CPU with leaves newer than the
        // installed cpuid knows, vcpuid may print extra subleaf lines between them.
        let ourLines = ours.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        var matched = Set<Int>()
        var position = ourLines.startIndex
        for line in theirs.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let found = ourLines[position...].firstIndex(of: line) else {
                return XCTFail("cpuid printed `\(line)`, which vcpuid does not print in that order:\n\(ours.stdout)")
            }
            matched.insert(found)
            position = found + 1
        }
        let extra = ourLines.indices.filter { !matched.contains($0) }.map { ourLines[$0] }
        XCTAssertTrue(extra.allSatisfy { !$0.hasPrefix("   0x") || !$0.dropFirst(14).hasPrefix("0x00:") },
                      "only extra subleaves (never a leaf cpuid lacks) may go beyond cpuid: \(extra)")
    }

    func testDumpAFileAsJSONAndFromStandardInput() throws {
        let path = Self.fixture("aida-two-cpus.txt")
        let json = try CLI.run(["dump", path, "--all-cpus", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"format\": \"vcpuid-dump\""))
        XCTAssertTrue(json.stdout.contains("\"cpu\": 1,"))
        let again = try CLI.run(["dump", "-", "--all-cpus"], stdin: Data(json.stdout.utf8))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("CPU 0:\n   0x00000000 0x00: eax=0x0000000d"), again.stdout)
        let one = try CLI.run(["dump", path, "--cpu", "1"])
        XCTAssertTrue(one.stdout.hasPrefix("CPU:\n"), one.stdout)
        XCTAssertTrue(one.stdout.contains("eax=0x000306a9 ebx=0x01100800"), one.stdout)
    }

    func testBadFileNamesLineAndColumnAndFailsTheCommand() throws {
        let result = try CLI.run(["dump", "-"], stdin: Data("CPU:\n   0x00000000 0x00: eax=0x0000\n".utf8))
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("<stdin>:2:27: error: expected 8 hex digits for EAX"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)
    }

    func testMissingCPUAndConflictingOptions() throws {
        let missing = try CLI.run(["dump", Self.fixture("aida-two-cpus.txt"), "--cpu", "7"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("has no CPU 7 (it has 0-1)"), missing.stderr)
        let both = try CLI.run(["dump", "--cpu", "0", "--all-cpus"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("exclude each other"), both.stderr)
    }

    func testOutputFileIsWritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-dump-\(getpid()).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.run(["dump", "--format", "libvirt", "--output", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("<cpudata arch='x86'>"))
        XCTAssertTrue(text.contains("<cpuid eax_in='0x00000000' ecx_in='0x00'"))
    }

    func testDevCPUSourceMatchesTheInstruction() throws {
        let instruction = try CLI.run(["dump", "--source", "cpuid"])
        let devCPU = try CLI.run(["dump", "--source", "devcpu"])
        guard devCPU.status == 0 else {
            XCTAssertTrue(devCPU.stderr.contains("modprobe cpuid") || devCPU.stderr.contains("root"), devCPU.stderr)
            return
        }
        XCTAssertEqual(devCPU.stdout, instruction.stdout)
    }
}
