import Foundation
import XCTest

/// `vcpuid guest verify` on this machine's KVM (skipped where /dev/kvm is absent).
final class GuestVerifyCommandTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent on this machine") }
    }

    func testDefaultPolicyIsVerified() throws {
        let result = try CLI.run(["guest", "verify"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("verified: ") }, result.stdout)
        let count = Int(line.dropFirst("verified: ".count).prefix { $0.isNumber })
        XCTAssertNotNil(count)
        XCTAssertGreaterThan(count ?? 0, 0)
        XCTAssertTrue(line.contains(" entries as set"), String(line))
        XCTAssertTrue(result.stdout.contains("KVM_SET_CPUID2: accepted"), result.stdout)
    }

    func testGuestSeesEnabledSGXLeafFunctions() throws {
        let result = try CLI.run(["guest", "verify", "--enable", "sgx,sgx1,sgx2,sgx-edeccssa", "--allow-unsupported"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("SGX: the guest saw CPUID.(EAX=12H,ECX=0):EAX = ") },
                                 result.stdout)
        let hex = line.split(separator: "=").last?.trimmingCharacters(in: .whitespaces).prefix(10) ?? ""
        let eax = try XCTUnwrap(UInt32(hex.dropFirst(2), radix: 16), String(line))
        for bit in [0, 1, 11] { XCTAssertNotEqual(eax & (1 << UInt32(bit)), 0, "bit \(bit): \(line)") }
        XCTAssertTrue(line.contains("SGX1 bit 0, SGX2 bit 1, EDECCSSA bit 11"), String(line))
        XCTAssertTrue(result.stdout.contains("verified: "), result.stdout)
    }

    func testJSON() throws {
        let result = try CLI.run(["guest", "verify", "--enable", "sgx,sgx1,sgx2,sgx-edeccssa", "--allow-unsupported", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["passed"] as? Bool, true)
        XCTAssertEqual(object["verified"] as? Int, object["entries"] as? Int)
        let eax = try XCTUnwrap(object["sgxLeaf0EAX"] as? String)
        XCTAssertEqual((UInt32(eax.dropFirst(2), radix: 16) ?? 0) & 0x803, 0x803, eax)
    }

    func testRefusedPolicyNeverStartsAGuest() throws {
        let result = try CLI.run(["guest", "verify", "--disable", "sgx1", "--enable", "sgx-edeccssa", "--allow-unsupported"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("SGX1 is off"), result.stderr)
        XCTAssertFalse(result.stdout.contains("KVM_SET_CPUID2"), result.stdout)
    }

    func testBadTimeoutIsRefused() throws {
        let result = try CLI.run(["guest", "verify", "--timeout", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--timeout"), result.stderr)
    }
}
