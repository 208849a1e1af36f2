import Foundation
import XCTest

final class ConvertCommandTests: XCTestCase {
    func testConvertsLibcpuidToAIDAAndBack() throws {
        let aida = try CLI.run(["convert", DumpCommandTests.fixture("libcpuid-padding.txt"), "--format", "aida"])
        XCTAssertEqual(aida.status, 0, aida.stderr)
        XCTAssertTrue(aida.stdout.hasPrefix("------[ CPUID Registers / Logical CPU #0 ]------\nCPUID 00000000: 00000004-756E6547"), aida.stdout)
        XCTAssertTrue(aida.stdout.contains("CPUID 00000004: 1C004122-01C0003F-0000003F-00000000 [SL 01]"))
        let raw = try CLI.run(["convert", "-", "--format", "raw"], stdin: Data(aida.stdout.utf8))
        XCTAssertEqual(raw.status, 0, raw.stderr)
        XCTAssertEqual(raw.stdout.split(separator: "\n").count, 1 + 10)
    }

    func testLibvirtNeedsOneCPUAndLibcpuidIsNotAnOutput() throws {
        let two = DumpCommandTests.fixture("aida-two-cpus.txt")
        let refused = try CLI.run(["convert", two, "--format", "libvirt"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("pick one with --cpu"), refused.stderr)
        let one = try CLI.run(["convert", two, "--format", "libvirt", "--cpu", "1"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("ebx='0x01100800'"), one.stdout)
        let libcpuid = try CLI.run(["convert", two, "--format", "libcpuid"])
        XCTAssertNotEqual(libcpuid.status, 0)
        XCTAssertTrue(libcpuid.stderr.contains("cannot write it"), libcpuid.stderr)
    }

    func testOutputIsAtomicAndForcedInputFormatIsHonoured() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-convert-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("cpu.json").path
        let ok = try CLI.run(["convert", DumpCommandTests.fixture("libvirt-small.xml"), "--format", "json", "--output", out])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("\"eax\": \"0x000306f2\""))
        let forced = try CLI.run(["convert", DumpCommandTests.fixture("libvirt-small.xml"), "--input-format", "aida",
                                  "--format", "json", "--output", out])
        XCTAssertNotEqual(forced.status, 0)
        XCTAssertTrue(forced.stderr.contains("libvirt-small.xml:1:1:"), forced.stderr)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("\"eax\": \"0x000306f2\""), "a failed conversion leaves the old output")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["cpu.json"])
    }
}
