import Foundation
import XCTest

/// `--kernel`: a predicted base, on a corpus host given EDECCSSA and AEX-Notify (the seed commit's story).
final class GuestPredictedBaseTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let iceLake = repositoryRoot.appendingPathComponent(
        "../shared/corpus/libcpuid/intel/x86-64/sunny-cove/intel-core-i7-1065g7-cpu.test").standardized

    /// The Ice Lake dump with 0x12.0 EAX[11] (EDECCSSA) and 0x12.1 EAX[10] (AEXNOTIFY) set, as on later CPUs.
    func hostWithEDECCSSA() throws -> String {
        guard let text = try? String(contentsOf: Self.iceLake, encoding: .utf8) else {
            throw XCTSkip("the shared corpus is absent (\(Self.iceLake.path))")
        }
        let edited = text
            .replacingOccurrences(of: "CPUID 00000012: 00000063-", with: "CPUID 00000012: 00000863-")
            .replacingOccurrences(of: "CPUID 00000012: 000000B6-", with: "CPUID 00000012: 000004B6-")
        XCTAssertNotEqual(edited, text, "the corpus file changed; this test edits its leaf 0x12 lines")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-predicted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("icelake-edeccssa.test").path
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testLinux61KVMDoesNotOfferEDECCSSA() throws {
        let host = try hostWithEDECCSSA()
        let result = try CLI.run(["guest", "show", "--base", host, "--kernel", "6.1", "--module", "intel", "--enable", "sgx-edeccssa"])
        XCTAssertNotEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stderr.contains("SGX_EDECCSSA CPUID.(EAX=12H,ECX=0):EAX[11] is not offered by the base predicted KVM_GET_SUPPORTED_CPUID (Linux 6.1, kvm_intel"), result.stderr)
        XCTAssertTrue(result.stderr.contains("CPUID_12_EAX"), "names KVM's rule: \(result.stderr)")
    }

    func testLinux62KVMOffersEDECCSSAAndAEXNotify() throws {
        let host = try hostWithEDECCSSA()
        let result = try CLI.run(["guest", "show", "--base", host, "--kernel", "6.2", "--module", "intel",
                                  "--enable", "sgx-edeccssa,sgx-aex-notify", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertTrue((object["base"] as? String)?.hasPrefix("predicted KVM_GET_SUPPORTED_CPUID (Linux 6.2, kvm_intel") ?? false)
        let entries = try XCTUnwrap(object["entries"] as? [[String: Any]])
        let leaf12 = entries.filter { $0["leaf"] as? String == "0x00000012" }
        let eax0 = (leaf12.first { $0["subleaf"] as? String == "0x00" }?["eax"] as? String).flatMap { UInt32($0.dropFirst(2), radix: 16) }
        let eax1 = (leaf12.first { $0["subleaf"] as? String == "0x01" }?["eax"] as? String).flatMap { UInt32($0.dropFirst(2), radix: 16) }
        XCTAssertEqual((eax0 ?? 0) & 0x801, 0x801, "SGX1 and EDECCSSA")
        XCTAssertEqual((eax1 ?? 0) & 0x400, 0x400, "AEXNOTIFY")
    }

    func testModuleNeedsKernel() throws {
        let result = try CLI.run(["guest", "show", "--module", "intel"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--module applies to a predicted base"), result.stderr)
    }
}
