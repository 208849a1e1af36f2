import Foundation
import XCTest

/// `vcpuid sgx --guest [policy]` / `vcpuid sgx guest [policy]`: what a composed guest table tells an enclave.
final class SGXGuestCommandTests: XCTestCase {
    let capableHost = ReportSectionsTests.fixture("sgx/aex-notify-capable.cpuid")
    /// One 64 MiB EPC section at 4 GiB in CPUID.(EAX=12H,ECX=2), as a VMM with guest EPC would report it.
    let epc = ["--set", "0x12.2.eax=0x00000001", "--set", "0x12.2.ebx=0x1", "--set", "0x12.2.ecx=0x04000001"]

    struct Report {
        var usable: Bool
        var reasons: [String: String]
        var edits: [String]
        var capabilities: [String: Bool]
    }

    func report(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        let result = try CLI.run(arguments + ["--json"])
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        var reasons: [String: String] = [:]
        for reason in object["aexNotifyReasons"] as? [[String: String]] ?? [] {
            reasons[reason["requirement"] ?? ""] = reason["status"]
        }
        var capabilities: [String: Bool] = [:]
        for flag in object["capabilities"] as? [[String: Any]] ?? [] {
            capabilities[flag["name"] as? String ?? ""] = flag["set"] as? Bool
        }
        return Report(usable: try XCTUnwrap(object["aexNotifyUsable"] as? Bool), reasons: reasons,
                      edits: object["guestEdits"] as? [String] ?? [], capabilities: capabilities)
    }

    func status(_ reasons: [String: String], _ prefix: String) -> String? {
        reasons.first { $0.key.hasPrefix(prefix) }?.value
    }

    func testLiveBaseWithSGXEnabledShowsWhatTheGuestIsToldAndWhyAEXNotifyIsNot() throws {
        guard FileManager.default.isReadableFile(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent or not readable here") }
        let r = try report(["sgx", "--guest", "--enable", "sgx,sgx1,sgx2,sgx-edeccssa", "--allow-unsupported"])
        XCTAssertEqual(r.capabilities["SGX1"], true)
        XCTAssertEqual(r.capabilities["SGX2"], true)
        XCTAssertEqual(r.capabilities["EDECCSSA"], true)
        XCTAssertEqual(r.edits, ["--enable sgx,sgx1,sgx2,sgx-edeccssa"])
        XCTAssertFalse(r.usable)
        XCTAssertEqual(status(r.reasons, "an EPC section"), "fails")
        XCTAssertEqual(status(r.reasons, "ENCLU[EDECCSSA]"), "holds")
        XCTAssertEqual(status(r.reasons, "SECS.ATTRIBUTES.AEXNOTIFY"), "fails", "the policy did not allow the attribute")
        XCTAssertEqual(status(r.reasons, "guest kernel"), "unknown")
        XCTAssertNotNil(status(r.reasons, "KVM offers EDECCSSA"))
        let text = try CLI.run(["sgx", "--guest", "--enable", "sgx,sgx1,sgx2,sgx-edeccssa", "--allow-unsupported"])
        XCTAssertTrue(text.stdout.contains("AEX-Notify usable: no"), text.stdout)
        XCTAssertTrue(text.stdout.contains("SGX capability report for a guest table composed from KVM_GET_SUPPORTED_CPUID"), text.stdout)
    }

    func testPredictedLinux62HostWithGuestEPCCanUseAEXNotify() throws {
        let r = try report(["sgx", "--guest", "--base", capableHost, "--kernel", "6.2", "--module", "intel"] + epc)
        XCTAssertEqual(status(r.reasons, "an EPC section"), "holds")
        XCTAssertEqual(status(r.reasons, "KVM offers EDECCSSA"), "holds")
        XCTAssertEqual(status(r.reasons, "KVM offers the AEXNOTIFY attribute"), "holds")
        XCTAssertEqual(status(r.reasons, "host KVM in Linux 6.2"), "holds")
        XCTAssertTrue(r.usable, "\(r.reasons)")
    }

    func testWithoutEPCTheGuestCannotUseSGXAtAll() throws {
        let r = try report(["sgx", "guest", "--base", capableHost, "--kernel", "6.2", "--module", "intel"])
        XCTAssertEqual(status(r.reasons, "an EPC section"), "fails")
        XCTAssertFalse(r.usable)
    }

    func testLinux61KVMOffersNeitherBit() throws {
        let r = try report(["sgx", "--guest", "--base", capableHost, "--kernel", "6.1", "--module", "intel"] + epc)
        XCTAssertEqual(r.capabilities["EDECCSSA"], false)
        XCTAssertEqual(status(r.reasons, "ENCLU[EDECCSSA]"), "fails")
        XCTAssertEqual(status(r.reasons, "host KVM in Linux 6.2"), "fails")
        XCTAssertEqual(status(r.reasons, "KVM offers EDECCSSA"), "fails")
        XCTAssertFalse(r.usable)
    }

    func testDisablingEDECCSSAInThePolicyTurnsTheVerdict() throws {
        let r = try report(["sgx", "--guest", "--base", capableHost, "--kernel", "6.2", "--module", "intel", "--disable", "sgx-edeccssa"] + epc)
        XCTAssertEqual(status(r.reasons, "ENCLU[EDECCSSA]"), "fails")
        XCTAssertEqual(status(r.reasons, "KVM offers EDECCSSA"), "holds")
        XCTAssertFalse(r.usable)
    }

    func testEverySpellingGivesTheSameReport() throws {
        let arguments = ["--base", capableHost, "--kernel", "6.2", "--module", "intel"]
        let flag = try CLI.run(["sgx", "--guest"] + arguments)
        let command = try CLI.run(["sgx", "guest"] + arguments)
        let report = try CLI.run(["sgx", "report"] + arguments + ["--guest"])
        XCTAssertEqual(flag.status, 0, flag.stderr)
        XCTAssertEqual(flag.stdout, command.stdout)
        XCTAssertEqual(flag.stdout, report.stdout)
    }

    func testPolicyOptionsWithoutGuestAreRejected() throws {
        let result = try CLI.run(["sgx", "--enable", "sgx"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--enable"), result.stderr)
    }

    func testARefusedPolicyIsAnErrorNotAReport() throws {
        let result = try CLI.run(["sgx", "--guest", "--base", capableHost, "--kernel", "6.1", "--module", "intel", "--enable", "sgx-edeccssa"])
        XCTAssertNotEqual(result.status, 0, result.stdout)
        XCTAssertFalse(result.stdout.contains("AEX-Notify usable"), result.stdout)
    }
}
