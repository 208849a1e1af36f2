import Foundation
import XCTest

/// The bugs line end to end: `flags --compare` with this machine's /proc/cpuinfo and vulnerabilities directory
/// (and doctored copies that must fail), and `explain` of MSR-decided bugs on a hand-written Skylake-X dump.
final class BugsCompareCommandTests: XCTestCase {
    static let vulnerabilities = "/sys/devices/system/cpu/vulnerabilities"

    /// A Skylake-X (family 6 model 0x55 stepping 4) enumerating ARCH_CAPABILITIES, with `msrs` as JSON members.
    static func skylakeDump(msrs: String) throws -> URL {
        let text = """
            {"format": "vcpuid-dump", "version": 1, "origin": "BugsCompareCommandTests", "cpus": [{"cpu": 0, "entries": [
              {"leaf": "0x0", "eax": "0x16", "ebx": "0x756e6547", "ecx": "0x6c65746e", "edx": "0x49656e69"},
              {"leaf": "0x1", "eax": "0x00050654", "ebx": "0x00100800", "ecx": "0x7ffefbff", "edx": "0xbfebfbff"},
              {"leaf": "0x7", "subleaf": "0x0", "eax": "0x0", "ebx": "0xd39ffffb", "ecx": "0x00000818", "edx": "0xbc000400"},
              {"leaf": "0xd", "subleaf": "0x0", "eax": "0x2ff", "ebx": "0xa88", "ecx": "0xa88", "edx": "0x0"},
              {"leaf": "0x80000000", "eax": "0x80000008", "ebx": "0x0", "ecx": "0x0", "edx": "0x0"},
              {"leaf": "0x80000001", "eax": "0x0", "ebx": "0x0", "ecx": "0x121", "edx": "0x2c100800"},
              {"leaf": "0x80000008", "eax": "0x302e", "ebx": "0x0", "ecx": "0x0", "edx": "0x0"}
            ], "msrs": [\(msrs)]}]}
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-skx-\(getpid())-\(msrs.hashValue).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testExplainNamesTheDecidingMSRBit() throws {
        let mdsNo = try Self.skylakeDump(msrs: #"{"index": "0x10a", "value": "0x20"}, {"index": "0x8b", "value": "0x0200700600000000"}"#)
        defer { try? FileManager.default.removeItem(at: mdsNo) }
        let notAffected = try CLI.run(["explain", "mds", mdsNo.path, "--kernel", "6.18"])
        XCTAssertEqual(notAffected.status, 0, notAffected.stderr)
        XCTAssertTrue(notAffected.stdout.contains("not affected: ARCH_CAPABILITIES.MDS_NO = 1 (MSR 0x10A bit 5)"), notAffected.stdout)

        let zero = try Self.skylakeDump(msrs: #"{"index": "0x10a", "value": "0x0"}"#)
        defer { try? FileManager.default.removeItem(at: zero) }
        let affected = try CLI.run(["explain", "mds", zero.path, "--kernel", "6.1"])
        XCTAssertTrue(affected.stdout.contains("affected: Intel family 6 model 0x55 (SKYLAKE_X) is not in the NO_MDS whitelist "
            + "and ARCH_CAPABILITIES.MDS_NO = 0"), affected.stdout)
        let flags = try CLI.run(["flags", zero.path, "--kernel", "6.18"])
        XCTAssertTrue(flags.stdout.contains(" mds "), flags.stdout)
        XCTAssertTrue(flags.stdout.contains("undecided  :  old_microcode (need MSR 0x8B"), flags.stdout)

        let none = try Self.skylakeDump(msrs: "")
        defer { try? FileManager.default.removeItem(at: none) }
        let undecided = try CLI.run(["explain", "mds", none.path])
        XCTAssertTrue(undecided.stdout.contains("cannot be decided: ARCH_CAPABILITIES.MDS_NO (MSR 0x10A bit 5) needs MSR 0x10A, "
            + "which the dump does not carry"), undecided.stdout)
        XCTAssertTrue(undecided.stdout.contains("UNDECIDED"), undecided.stdout)
        let report = try CLI.run([none.path])
        XCTAssertTrue(report.stdout.contains("more could not be decided for lack of MSR 0x8B, 0x10A"), report.stdout)
        let json = try CLI.run(["flags", none.path, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let names = (object["undecidedBugs"] as? [[String: Any]])?.compactMap { $0["proc"] as? String } ?? []
        XCTAssertTrue(names.contains("mds") && names.contains("cpu_meltdown"), "\(names)")
    }

    func testDoctoredProcCPUInfoBugsLineFails() throws {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8), text.contains("\nbugs") else {
            throw XCTSkip("no x86 /proc/cpuinfo with a bugs line on this host")
        }
        // spectre_v1 follows from the whitelist alone on every CPU outside NO_SPECULATION: no MSR can excuse it.
        let doctored = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("bugs") ? String(line).replacingOccurrences(of: " spectre_v1", with: "") : String(line)
        }.joined(separator: "\n")
        XCTAssertNotEqual(doctored, text)
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-doctored-cpuinfo-\(getpid())")
        defer { try? FileManager.default.removeItem(at: fake) }
        try doctored.write(to: fake, atomically: true, encoding: .utf8)
        let result = try CLI.run(["flags", "--compare", fake.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("spectre_v1"), result.stdout)
    }

    func testVulnerabilitiesDirectoryAgreesAndADoctoredCopyFails() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: Self.vulnerabilities), !names.isEmpty else {
            throw XCTSkip("no \(Self.vulnerabilities)")
        }
        let live = try CLI.run(["flags", "--compare", Self.vulnerabilities])
        XCTAssertEqual(live.status, 0, live.stdout + live.stderr)
        XCTAssertTrue(live.stdout.contains("0 unexplained"), live.stdout)

        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-vulns-\(getpid())")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        for name in names {
            let text = try String(contentsOfFile: Self.vulnerabilities + "/" + name, encoding: .utf8)
            try (name == "spectre_v1" ? "Not affected\n" : text).write(to: copy.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let doctored = try CLI.run(["flags", "--compare", copy.path, "--kernel", try Self.runningRelease()])
        XCTAssertEqual(doctored.status, 1, doctored.stdout + doctored.stderr)
        XCTAssertTrue(doctored.stdout.contains("spectre_v1"), doctored.stdout)
        let json = try CLI.run(["flags", "--compare", Self.vulnerabilities, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["unexplained"] as? Int, 0)
    }

    /// `uname -r` of this host (a file input's default profile is the newest, not the running one).
    static func runningRelease() throws -> String {
        try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
