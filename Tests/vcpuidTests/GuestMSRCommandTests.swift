import Foundation
import XCTest

/// Feature MSRs in guest policies, as a user types them: refused bits name the bit and the rule, and on
/// this machine's KVM the guest reads each written MSR with RDMSR.
final class GuestMSRCommandTests: XCTestCase {
    /// `vcpuid kvm supported --msrs --format json` of an AMD EPYC host under kvm_pvm (Linux 6.18.44):
    /// ARCH_CAPABILITIES 0x400000000c000069, no IBRS_ALL.
    static let base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/guest/kvm-supported-pvm-epyc.json").path

    func testABitKVMDoesNotOfferIsRefusedNamingTheBit() throws {
        for edit in [["--set", "msr.0x10a=0x400000000c00006b"], ["--enable", "arch_capabilities.ibrs_all"], ["--enable", "ibrs-all"]] {
            let result = try CLI.run(["guest", "show", "--base", Self.base] + edit)
            XCTAssertEqual(result.status, 2, "\(edit): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("ARCH_CAPABILITIES.IBRS_ALL is not offered"), result.stderr)
            XCTAssertTrue(result.stderr.contains("MSR 0x10A bit 1"), result.stderr)
        }
        let allowed = try CLI.run(["guest", "show", "--base", Self.base, "--enable", "arch_capabilities.ibrs_all", "--allow-unsupported"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stdout.contains("0x400000000c00006b"), allowed.stdout)
    }

    func testDisablingAnOfferedBitClearsItAndShowsTheMSR() throws {
        let result = try CLI.run(["guest", "show", "--base", Self.base, "--disable", "arch_capabilities.rdcl_no", "--kernel", "6.18", "--module", "pvm"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("cleared ARCH_CAPABILITIES.RDCL_NO (MSR 0x10A bit 0)"), result.stdout)
    }

    func testRawMSREditsAreParsedAndBadOnesExplained() throws {
        let bad = try CLI.run(["guest", "show", "--base", Self.base, "--set", "msr.0x10a[70]=1"])
        XCTAssertNotEqual(bad.status, 0, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("within 0...63"), bad.stderr)
        let unknown = try CLI.run(["guest", "show", "--base", Self.base, "--set", "msr.0x1234=1"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("is not a feature MSR of the base"), unknown.stderr)
    }

    func testShowPredictsThePVMRefusalOfArchCapabilities() throws {
        let result = try CLI.run(["guest", "show", "--base", Self.base, "--set", "msr.0x10a=0x400000000c000069",
                                  "--kernel", "6.18", "--module", "pvm"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("KVM will refuse it"), result.stdout)
        XCTAssertTrue(result.stdout.contains("kvm_pvm"), result.stdout)
        let intel = try CLI.run(["guest", "show", "--base", Self.base, "--set", "msr.0x10a=0x400000000c000069",
                                 "--kernel", "6.12", "--module", "intel"])
        XCTAssertFalse(intel.stdout.contains("KVM will refuse it"), "6.12 stores any value: \(intel.stdout)")
    }

    /// Live: the supported ARCH_CAPABILITIES value goes in; under kvm_pvm it is left out (predicted refusal)
    /// while every other feature MSR is verified in the guest; elsewhere the guest reads it as set.
    func testVerifyArchCapabilitiesOnThisMachine() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/kvm") else { throw XCTSkip("no usable /dev/kvm") }
        let supported = try CLI.run(["kvm", "supported", "--msrs", "--format", "json"])
        guard supported.status == 0, let range = supported.stdout.range(of: "\"index\": \"0x0000010a\", \"value\": \"") else {
            throw XCTSkip("this KVM lists no IA32_ARCH_CAPABILITIES")
        }
        let value = String(supported.stdout[range.upperBound...].prefix(18))
        let result = try CLI.run(["guest", "verify", "--set", "msr.0x10a=\(value)"])
        let module = FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm") ? "kvm_pvm" : "other"
        XCTAssertTrue(result.stdout.contains("feature MSRs:"), result.stdout)
        XCTAssertFalse(result.stdout.contains("MISMATCH"), result.stdout)
        if module == "kvm_pvm" {
            XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.contains("left out of KVM_SET_MSRS before asking"), result.stdout)
            XCTAssertTrue(result.stdout.contains("as set     0x0000008b"), "the other feature MSRs are verified: \(result.stdout)")
        } else {
            XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.contains("as set     0x0000010a"), result.stdout)
        }
    }

    func testFirecrackerMSRModifiersRoundTrip() throws {
        let exported = try CLI.run(["guest", "export", "--base", Self.base, "--disable", "mds_no", "--as", "firecracker"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertTrue(exported.stdout.contains("\"addr\": \"0x10a\""), exported.stdout)
        XCTAssertTrue(exported.stdout.contains("0bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0xxxxx"), exported.stdout)
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-msr-\(getpid()).json")
        try exported.stdout.write(to: template, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: template) }
        let applied = try CLI.run(["guest", "show", "--base", Self.base, "--template", template.path])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertTrue(applied.stdout.contains("IA32_ARCH_CAPABILITIES: 0x400000000c000069 → 0x400000000c000049"), applied.stdout)
    }
}
