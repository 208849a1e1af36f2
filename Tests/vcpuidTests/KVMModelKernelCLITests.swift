import Foundation
import XCTest

/// `vcpuid kvm predict/explain` for every modelled line on the AEX-Notify fixture, and the model note.
final class KVMModelKernelCLITests: XCTestCase {
    private var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sgx/aex-notify-capable.cpuid").path
    }

    private func leaf12(_ kernel: String) throws -> [String] {
        let r = try CLI.run(["kvm", "predict", fixture, "--kernel", kernel, "--format", "raw"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init).filter { $0.contains("0x00000012 ") }
    }

    private func eax(_ line: String?) -> String? {
        line?.split(separator: " ").first { $0.hasPrefix("eax=") }.map(String.init)
    }

    func testAEXNotifyFixtureSGXOfferPerKernel() throws {
        let v510 = try leaf12("5.10")
        XCTAssertEqual(v510.count, 1, "5.10 reports only an all-zero 0x12.0")
        XCTAssertTrue(v510.first?.contains("eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000") ?? false)
        for kernel in ["5.15", "6.1"] {
            let lines = try leaf12(kernel)
            XCTAssertEqual(eax(lines.first), "eax=0x00000003", kernel)
            XCTAssertEqual(eax(lines.dropFirst().first), "eax=0x000000b6", kernel)
        }
        for kernel in ["6.2", "6.6", "6.8", "6.12", "6.18", "6.19", "7.0"] {
            let lines = try leaf12(kernel)
            XCTAssertEqual(eax(lines.first), "eax=0x00000803", kernel)
            XCTAssertEqual(eax(lines.dropFirst().first), "eax=0x000004b6", kernel)
        }
    }

    func testPredictStatesTheModelledRules() throws {
        let exact = try CLI.run(["kvm", "predict", fixture, "--kernel", "6.12"])
        XCTAssertTrue(exact.stdout.contains("note: KVM model: Linux 6.12 rules\n"), exact.stdout)
        let between = try CLI.run(["kvm", "predict", fixture, "--kernel", "6.8.12"])
        XCTAssertEqual(between.status, 0, between.stderr)
        XCTAssertTrue(between.stdout.contains("note: KVM model: Linux 6.6 rules; 6.8 differs in ways not modelled: "),
                      between.stdout)
        let explain = try CLI.run(["kvm", "explain", "sgx_edeccssa", fixture, "--kernel", "6.4"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("model     KVM model: Linux 6.2 rules; 6.4 is not modelled"), explain.stdout)
        let json = try CLI.run(["kvm", "explain", "sgx1", fixture, "--kernel", "6.12", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["model"] as? String, "KVM model: Linux 6.12 rules")
    }

    func testKernelsOlderThanTheOldestProfileAreRefused() throws {
        let r = try CLI.run(["kvm", "predict", fixture, "--kernel", "5.4"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("from 5.10 on"), r.stderr)
    }
}
