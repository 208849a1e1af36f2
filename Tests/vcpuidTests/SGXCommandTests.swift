import Foundation
import XCTest

final class SGXCommandTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func temporaryScenario(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sgx-\(UUID().uuidString).sgx")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testEveryExampleScenarioPassesThroughTheCLI() throws {
        let directory = root.appendingPathComponent("Examples/sgx")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sgx") }.sorted()
        XCTAssertEqual(files.count, 5)
        for file in files {
            let result = try CLI.run(["sgx", "simulate", directory.appendingPathComponent(file).path])
            XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasSuffix("PASS\n"), file)
        }
    }

    func testFailedExpectationExitsOneNamingTheLine() throws {
        let file = try temporaryScenario("eenter\naex\nexpect cssa=5\n")
        let result = try CLI.run(["sgx", "simulate", file])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains(":3: expectation failed"), result.stderr)
        XCTAssertTrue(result.stderr.contains("found cssa=1"), result.stderr)
    }

    func testMalformedScenarioExitsTwoWithLineAndColumn() throws {
        let file = try temporaryScenario("eenter\nexpect cssa=1\n  teleport\n")
        let result = try CLI.run(["sgx", "simulate", file])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(":3:3: error: unknown step `teleport`"), result.stderr)
        let missing = try CLI.run(["sgx", "simulate", "/nonexistent/scenario.sgx"])
        XCTAssertEqual(missing.status, 2)
    }

    func testStrictModeFailsOnUnacknowledgedFaults() throws {
        let file = try temporaryScenario("eenter\nedeccssa\nexpect cssa=0\n")
        XCTAssertEqual(try CLI.run(["sgx", "simulate", file]).status, 0)
        let strict = try CLI.run(["sgx", "simulate", "--strict", file])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("unexpected #GP(0) from EDECCSSA"), strict.stderr)
    }

    func testPlatformFromADump() throws {
        let scenario = path("Examples/sgx/a-sdk-two-stage-handler.sgx")
        XCTAssertEqual(try CLI.run(["sgx", "simulate", scenario, "--cpuid", path("Tests/Fixtures/sgx/aex-notify-capable.cpuid")]).status, 0)
        let without = try CLI.run(["sgx", "simulate", scenario, "--cpuid", path("Tests/Fixtures/sgx/no-edeccssa.cpuid")])
        XCTAssertEqual(without.status, 1, "EDECCSSA faults on a CPU without it")
        XCTAssertTrue(without.stdout.contains("cpu.edeccssa=0"), without.stdout)
        XCTAssertTrue(without.stdout.contains("#GP(0) ENCLU[EDECCSSA] is not enumerated"), without.stdout)
    }

    func testTraceAndJSON() throws {
        let file = try temporaryScenario("eenter\nrepeat 3 { aex; eresume }\nexpect cssa=0\n")
        let traced = try CLI.run(["sgx", "simulate", "--trace", file])
        XCTAssertEqual(traced.stdout.components(separatedBy: "ERESUME").count - 1, 3)
        let json = try CLI.run(["sgx", "simulate", "--json", file])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["passed"] as? Bool, true)
    }

    func testExploreFindsNoViolation() throws {
        let result = try CLI.run(["sgx", "explore", "--depth", "12"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("invariants: all hold"), result.stdout)
        XCTAssertTrue(result.stdout.contains("EENTER at CSSA = NSSA:             5: EENTER, AEX, EENTER, AEX, EENTER"), result.stdout)
        let json = try CLI.run(["sgx", "explore", "--depth", "6", "--nssa", "1", "--all-configs", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((object?["configurations"] as? [Any])?.count, 16)
        XCTAssertEqual(object?["violations"] as? Int, 0)
        XCTAssertNotEqual(try CLI.run(["sgx", "explore", "--nssa", "9"]).status, 0)
    }

    func testReportVerdictsOnDumps() throws {
        let usable = try CLI.run(["sgx", path("Tests/Fixtures/sgx/aex-notify-capable.cpuid")])
        XCTAssertEqual(usable.status, 0, usable.stderr)
        XCTAssertTrue(usable.stdout.contains("AEX-Notify usable: yes"), usable.stdout)
        XCTAssertTrue(usable.stdout.contains("total EPC"), usable.stdout)
        let missing = try CLI.run(["sgx", path("Tests/Fixtures/sgx/no-edeccssa.cpuid")])
        XCTAssertTrue(missing.stdout.contains("AEX-Notify usable: no"), missing.stdout)
        XCTAssertTrue(missing.stdout.contains("[NO] ENCLU[EDECCSSA]"), missing.stdout)
        let json = try CLI.run(["sgx", "--json", path("Tests/Fixtures/sgx/aex-notify-capable.cpuid")])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["aexNotifyUsable"] as? Bool, true)
    }

    func testReportOnThisMachine() throws {
        let result = try CLI.run(["sgx"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if !cpuinfo.contains(" sgx ") && !cpuinfo.contains(" sgx\n") {
            XCTAssertTrue(result.stdout.contains("SGX: absent"), result.stdout)
            XCTAssertTrue(result.stdout.contains("[NO] SGX enumerated"), result.stdout)
            XCTAssertTrue(result.stdout.contains("AEX-Notify usable: no"), result.stdout)
        } else {
            XCTAssertTrue(result.stdout.contains("SGX: present"), result.stdout)
        }
    }

    func testReportOnKVMSupportedTable() throws {
        guard FileManager.default.isReadableFile(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is not available") }
        let result = try CLI.run(["sgx", "--kvm", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((object?["source"] as? String)?.hasPrefix("KVM_GET_SUPPORTED_CPUID"), true, result.stdout)
        XCTAssertNotNil(object?["aexNotifyUsable"] as? Bool)
        XCTAssertNotEqual(try CLI.run(["sgx", "--kvm", path("Tests/Fixtures/sgx/no-edeccssa.cpuid")]).status, 0)
    }
}
