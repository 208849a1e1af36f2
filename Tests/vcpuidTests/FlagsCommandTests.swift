import Foundation
import XCTest

final class FlagsCommandTests: XCTestCase {
    static var corpusDump: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/corpus/libcpuid/amd/zen4/amd-ryzen-5-7600x-6-core-processor.test")
    }

    func testCompareWithThisMachinesProcCPUInfoExplainsEveryDifference() throws {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8), text.contains("flags") else {
            throw XCTSkip("no x86 /proc/cpuinfo on this host")
        }
        let result = try CLI.run(["flags", "--compare", "/proc/cpuinfo"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("0 unexplained"), result.stdout)
        let json = try CLI.run(["flags", "--compare", "/proc/cpuinfo", "--json"])
        XCTAssertEqual(json.status, 0)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["unexplained"] as? Int, 0)
        let differences = try XCTUnwrap(object["differences"] as? [[String: Any]])
        // A handful on an AMD guest; an Intel host with VMX adds its MSR-read capability flags.
        let isAMD = text.contains("AuthenticAMD") || text.contains("HygonGenuine")
        XCTAssertLessThanOrEqual(differences.filter { $0["kind"] as? String == "flag" }.count, isAMD ? 6 : 16)
        for difference in differences {
            // Bugs an unsampled ARCH_CAPABILITIES leaves open are "undecided" (Intel hosts without /dev/cpu/N/msr).
            XCTAssertTrue(["outside CPUID", "undecided"].contains(difference["verdict"] as? String), "\(difference)")
            XCTAssertNotEqual(difference["category"] as? String, "derived from CPUID")
        }
    }

    func testCompareReportsUnexplainedDifferencesWithExitStatus1() throws {
        let dump = Self.corpusDump
        guard FileManager.default.fileExists(atPath: dump.path) else { throw XCTSkip("the libcpuid corpus is not at ../shared") }
        // A /proc/cpuinfo that claims AVX-512 FP16, which this Zen 4 dump does not enumerate, and lacks sse2.
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-fake-cpuinfo-\(getpid())")
        defer { try? FileManager.default.removeItem(at: fake) }
        let derived = try CLI.run(["flags", dump.path, "--kernel", "6.18", "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(derived.stdout.utf8)) as? [String: Any])
        var flags = try XCTUnwrap(object["flags"] as? [String])
        flags.removeAll { $0 == "sse2" }
        flags.append("avx512_fp16")
        try "processor\t: 0\nflags\t\t: \(flags.joined(separator: " "))\nbugs\t\t:\n".write(to: fake, atomically: true, encoding: .utf8)
        let result = try CLI.run(["flags", dump.path, "--kernel", "6.18", "--compare", fake.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("avx512_fp16"))
        XCTAssertTrue(result.stdout.contains("UNEXPLAINED"))
    }

    func testFlagsOfADumpPerKernelAndClear() throws {
        let dump = Self.corpusDump
        guard FileManager.default.fileExists(atPath: dump.path) else { throw XCTSkip("the libcpuid corpus is not at ../shared") }
        let result = try CLI.run(["flags", dump.path, "--kernel", "6.18", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let flags = try XCTUnwrap(object["flags"] as? [String])
        for expected in ["fpu", "avx512f", "constant_tsc", "nonstop_tsc", "rep_good", "nopl", "cpuid", "vmmcall", "topoext"] {
            XCTAssertTrue(flags.contains(expected), expected)
        }
        XCTAssertEqual(object["kernel"] as? String, "6.18")

        let cleared = try CLI.run(["flags", dump.path, "--kernel", "6.18", "--clear", "noxsave", "--json"])
        let clearedObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(cleared.stdout.utf8)) as? [String: Any])
        let clearedFlags = try XCTUnwrap(clearedObject["flags"] as? [String])
        XCTAssertFalse(clearedFlags.contains("avx512f"))
        XCTAssertFalse(clearedFlags.contains("avx"))
        XCTAssertTrue(clearedFlags.contains("sse2"))

        let human = try CLI.run(["flags", dump.path, "--kernel", "6.1"])
        XCTAssertEqual(human.status, 0)
        XCTAssertTrue(human.stdout.contains("Linux 6.1 model"))
        XCTAssertTrue(human.stdout.contains("bugs"))
    }

    func testBadArgumentsAreClearErrors() throws {
        let badKernel = try CLI.run(["flags", "--kernel", "six"])
        XCTAssertNotEqual(badKernel.status, 0)
        XCTAssertTrue(badKernel.stderr.contains("'six' is invalid for '--kernel"), badKernel.stderr)
        let badClear = try CLI.run(["flags", "--clear", "frobnicate"])
        XCTAssertNotEqual(badClear.status, 0)
        XCTAssertTrue(badClear.stderr.contains("frobnicate"), badClear.stderr)
        let missing = try CLI.run(["flags", "--compare", "/nonexistent/cpuinfo"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/cpuinfo"), missing.stderr)
    }
}
