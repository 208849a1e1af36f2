import Foundation
import XCTest

final class ExplainCommandTests: XCTestCase {
    func testExplainAcceptsMacroProcAndQEMUNames() throws {
        for name in ["SGX_EDECCSSA", "X86_FEATURE_SGX_EDECCSSA", "sgx_edeccssa", "sgx-edeccssa"] {
            let result = try CLI.run(["explain", name, "--json"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(object["macro"] as? String, "X86_FEATURE_SGX_EDECCSSA")
            XCTAssertEqual(object["qemu"] as? String, "sgx-edeccssa")
            XCTAssertEqual(object["addedIn"] as? String, "v6.2")
            let kernels = try XCTUnwrap(object["kernels"] as? [[String: Any]])
            XCTAssertEqual(kernels.first { $0["kernel"] as? String == "6.1" }?["exists"] as? Bool, false)
            XCTAssertEqual(kernels.first { $0["kernel"] as? String == "6.2" }?["number"] as? String, "11*32+18")
            XCTAssertTrue(kernels.first { $0["kernel"] as? String == "6.2" }?["proc"] is NSNull)
            XCTAssertEqual(object["dependsOn"] as? [[String]], [["SGX_EDECCSSA", "SGX1", "SGX"]])
        }
    }

    func testExplainShowsChainsAndTheVerdictForThisCPU() throws {
        let result = try CLI.run(["explain", "SGX", "--kernel", "6.18"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("SGX -> SGX1 -> SGX2"), result.stdout)
        XCTAssertTrue(result.stdout.contains("SGX -> SGX_LC"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Linux 6.18:"), result.stdout)
        XCTAssertTrue(result.stdout.contains("CPUID.(EAX=07H,ECX=0):EBX[2]"), result.stdout)

    }

    func testExplainOnADumpWithABootSwitch() throws {
        let dump = FlagsCommandTests.corpusDump
        guard FileManager.default.fileExists(atPath: dump.path) else { throw XCTSkip("the libcpuid corpus is not at ../shared") }
        let set = try CLI.run(["explain", "avx2", dump.path, "--kernel", "6.18"])
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertTrue(set.stdout.contains("Linux 6.18: SET"), set.stdout)
        XCTAssertTrue(set.stdout.contains("set: CPUID.(EAX=07H,ECX=0):EBX[5] = 1"), set.stdout)
        let cleared = try CLI.run(["explain", "avx2", dump.path, "--kernel", "6.18", "--clear", "noxsave"])
        XCTAssertEqual(cleared.status, 0, cleared.stderr)
        XCTAssertTrue(cleared.stdout.contains("NOT SET"), cleared.stdout)
        XCTAssertTrue(cleared.stdout.contains("cleared: depends on AVX, which depends on XSAVE, cleared by noxsave"), cleared.stdout)
        let absent = try CLI.run(["explain", "sgx_edeccssa", dump.path, "--kernel", "6.18"])
        XCTAssertTrue(absent.stdout.contains("absent: CPUID.(EAX=12H,ECX=0):EAX[11] = 0") || absent.stdout.contains("guard: max leaf"),
                      absent.stdout)
    }

    func testUnknownFeatureIsAnError() throws {
        let result = try CLI.run(["explain", "edeccss"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("no feature or bug named 'edeccss'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("SGX_EDECCSSA"), "suggests the near miss: \(result.stderr)")
    }
}
