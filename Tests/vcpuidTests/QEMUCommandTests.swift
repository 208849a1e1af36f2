import Foundation
import XCTest

/// The qemu commands on files and the bundled table: no QEMU or /dev/kvm needed.
final class QEMUCommandTests: XCTestCase {
    static let fleet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fleet")

    func testModelsFallBackToTheBundledTableNamingItsQEMU() throws {
        let result = try CLI.run(["qemu", "models", "EPYC", "Skylake-Client-v1", "--qemu", "/nonexistent/qemu"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("no QEMU at /nonexistent/qemu: using vcpuid's bundled table, taken from QEMU emulator version"), result.stderr)
        XCTAssertTrue(result.stdout.contains("vcpuid's bundled table"), result.stdout)
        XCTAssertTrue(result.stdout.contains("EPYC-v1"), result.stdout)
        let unknown = try CLI.run(["qemu", "models", "Nonesuch", "--qemu", "/nonexistent/qemu"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("has no CPU model 'Nonesuch'"), unknown.stderr)
    }

    func testCheckAndCompareANamedModelAgainstAModelledHost() throws {
        let host = Self.fleet.appendingPathComponent("haswell-i7-4770.cpuid").path
        let check = try CLI.run(["qemu", "check", "-cpu Skylake-Client,enforce", "--host", host, "--kernel", "6.1",
                                 "--qemu", "/nonexistent/qemu", "--spelling", "bracketed"])
        XCTAssertEqual(check.status, 1, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("warning: host doesn't support requested feature: CPUID[eax=07h,ecx=00h].EBX."), check.stdout)
        XCTAssertTrue(check.stdout.contains("Host doesn't support requested features"), check.stdout)
        let compare = try CLI.run(["compare", "-cpu Haswell-noTSX", host, "--kernel", "6.1", "--json"])
        XCTAssertEqual(compare.status, 0, compare.stdout + compare.stderr)
        XCTAssertTrue(compare.stdout.contains("\"starts\" : true"), compare.stdout)
    }

    func testRunnableAndKubevirtLabelsForADump() throws {
        let host = Self.fleet.appendingPathComponent("zen4-ryzen-7-7700x.cpuid").path
        let labels = try CLI.run(["qemu", "runnable", host, "--kernel", "6.1", "--labels", "--qemu", "/nonexistent/qemu"])
        XCTAssertEqual(labels.status, 0, labels.stderr)
        XCTAssertTrue(labels.stdout.contains("cpu-model.node.kubevirt.io/EPYC=true"), labels.stdout)
        XCTAssertFalse(labels.stdout.contains("cpu-model.node.kubevirt.io/Skylake-Server=true"), "a Zen 4 lacks hle/rtm: \(labels.stdout)")
        let text = try CLI.run(["qemu", "runnable", host, "--kernel", "6.1", "--qemu", "/nonexistent/qemu"])
        XCTAssertTrue(text.stdout.contains("Skylake-Server: lacks "), text.stdout)
    }

    func testExportOfADumpIsANamedModelQEMUAccepts() throws {
        let host = Self.fleet.appendingPathComponent("skylake-x-i9-10980xe.cpuid").path
        let qemu = try CLI.run(["guest", "export", "--base", host, "--as", "qemu", "--qemu", "/nonexistent/qemu"])
        XCTAssertEqual(qemu.status, 0, qemu.stderr)
        XCTAssertFalse(qemu.stdout.hasPrefix("-cpu host"), qemu.stdout)
        XCTAssertTrue(qemu.stdout.contains("model-id=Intel(R) Core(TM) i9-10980XE CPU @ 3.00GHz"), qemu.stdout)
        XCTAssertTrue(qemu.stdout.hasPrefix("-cpu '"), "quoted for a shell: \(qemu.stdout)")
    }
}
