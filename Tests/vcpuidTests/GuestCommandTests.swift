import Foundation
import XCTest

/// `vcpuid guest show` and `vcpuid guest export`, run as a user would.
final class GuestCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/firecracker")

    /// An Intel-like host with SGX (SGX1, SGX2, EDECCSSA), XSAVE, AVX, AVX2 and AVX-512, as `cpuid -r` text.
    static let richDump = """
        CPU 0:
           0x00000000 0x00: eax=0x0000001d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
           0x00000001 0x00: eax=0x000a06a4 ebx=0x00100800 ecx=0x3400b002 edx=0x078bfbff
           0x00000007 0x00: eax=0x00000001 ebx=0x00014024 ecx=0x40000008 edx=0x01000000
           0x00000007 0x01: eax=0x00000010 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x00: eax=0x000602ff ebx=0x00002b00 ecx=0x00002b00 edx=0x00000000
           0x0000000d 0x01: eax=0x0000000f ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x02: eax=0x00000100 ebx=0x00000240 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x03: eax=0x00000040 ebx=0x000003c0 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x04: eax=0x00000040 ebx=0x00000400 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x05: eax=0x00000040 ebx=0x00000440 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x06: eax=0x00000200 ebx=0x00000480 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x07: eax=0x00000400 ebx=0x00000680 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x09: eax=0x00000008 ebx=0x00000a80 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x11: eax=0x00000040 ebx=0x00000ac0 ecx=0x00000000 edx=0x00000000
           0x0000000d 0x12: eax=0x00002000 ebx=0x00000b00 ecx=0x00000000 edx=0x00000000
           0x00000012 0x00: eax=0x00000803 ebx=0x00000001 ecx=0x00000000 edx=0x00003824
           0x00000012 0x01: eax=0x000004b6 ebx=0x00000000 ecx=0x000002e7 edx=0x00000000
           0x00000012 0x02: eax=0x70000001 ebx=0x00000000 ecx=0x07800001 edx=0x00000000
           0x00000012 0x03: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000121 edx=0x2c100800
           0x80000008 0x00: eax=0x00003030 ebx=0x00000000 ecx=0x00000000 edx=0x00000000

        """

    var richBase: String = ""

    override func setUpWithError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-guest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        richBase = directory.appendingPathComponent("rich.txt").path
        try Self.richDump.write(toFile: richBase, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    }

    func entries(_ json: String) throws -> [String: [String: Any]] {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
        let list = try XCTUnwrap(object["entries"] as? [[String: Any]])
        var result: [String: [String: Any]] = [:]
        for entry in list { result["\(entry["leaf"] ?? "").\(entry["subleaf"] ?? "")"] = entry }
        return result
    }

    func register(_ entries: [String: [String: Any]], _ key: String, _ name: String) -> UInt32 {
        guard let text = entries[key]?[name] as? String else { return 0 }
        return UInt32(text.dropFirst(2), radix: 16) ?? 0
    }

    /// Bits of the AVX family (AVX, FMA, F16C; AVX2 and AVX-512 in leaf 7; AVX-VNNI and friends in 7.1).
    func assertNoAVXFamily(_ entries: [String: [String: Any]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(register(entries, "0x00000001.0x00", "ecx") & 0x3000_1000, 0, "AVX/FMA/F16C", file: file, line: line)
        XCTAssertEqual(register(entries, "0x00000007.0x00", "ebx") & 0xdc23_0020, 0, "AVX2/AVX-512 in 7.0 EBX", file: file, line: line)
        XCTAssertEqual(register(entries, "0x00000007.0x00", "ecx") & 0x0000_5e42, 0, "AVX-512/VAES in 7.0 ECX", file: file, line: line)
        XCTAssertEqual(register(entries, "0x00000007.0x00", "edx") & 0x03c0_010c, 0, "AVX-512/AMX in 7.0 EDX", file: file, line: line)
        XCTAssertEqual(register(entries, "0x00000007.0x01", "eax") & 0x00a0_0037, 0, "7.1 EAX", file: file, line: line)
    }

    func testDisableXSAVELeavesNoAVXFamilyBit() throws {
        let result = try CLI.run(["guest", "show", "--base", richBase, "--disable", "xsave", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let table = try entries(result.stdout)
        XCTAssertEqual(register(table, "0x00000001.0x00", "ecx") & (1 << 26), 0, "XSAVE itself")
        assertNoAVXFamily(table)
        XCTAssertNotEqual(register(table, "0x00000012.0x00", "eax"), 0, "unrelated features stay")
    }

    func testDisableXSAVEOnTheLiveBase() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent on this machine") }
        let result = try CLI.run(["guest", "show", "--disable", "xsave", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        assertNoAVXFamily(try entries(result.stdout))
    }

    func testEnablingEDECCSSAAfterDisablingSGX1FailsNamingSGX1() throws {
        for base in [richBase, "live"] {
            if base == "live", !FileManager.default.fileExists(atPath: "/dev/kvm") { continue }
            let result = try CLI.run(["guest", "show", "--base", base, "--disable", "sgx1", "--enable", "sgx-edeccssa", "--allow-unsupported"])
            XCTAssertNotEqual(result.status, 0, result.stdout)
            XCTAssertTrue(result.stderr.contains("cannot enable SGX_EDECCSSA: SGX1 is off"), result.stderr)
            XCTAssertTrue(result.stderr.contains("SGX_EDECCSSA needs SGX1 CPUID.(EAX=12H,ECX=0):EAX[0]"), result.stderr)
            XCTAssertTrue(result.stderr.contains("--disable sgx1"), result.stderr)
        }
    }

    func testEditsApplyInCommandLineOrder() throws {
        let laterDisableWins = try CLI.run(["guest", "show", "--base", richBase, "--enable", "sgx-edeccssa", "--disable", "sgx1", "--json"])
        XCTAssertEqual(laterDisableWins.status, 0, laterDisableWins.stderr)
        XCTAssertEqual(register(try entries(laterDisableWins.stdout), "0x00000012.0x00", "eax"), 0)

        let setThenEnable = try CLI.run(["guest", "show", "--base", richBase, "--set=0x12.0.eax[11]=0", "--enable=sgx-edeccssa", "--json"])
        XCTAssertEqual(setThenEnable.status, 0, setThenEnable.stderr)
        XCTAssertEqual(register(try entries(setThenEnable.stdout), "0x00000012.0x00", "eax"), 0x803)

        let enableThenSet = try CLI.run(["guest", "show", "--base", richBase, "--enable", "sgx-edeccssa", "--set", "0x12.0.eax[11]=0", "--json"])
        XCTAssertEqual(register(try entries(enableThenSet.stdout), "0x00000012.0x00", "eax"), 0x3)
    }

    func testEnablingSGXOnTheLiveBaseMakesLeaf12Reachable() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent on this machine") }
        let refused = try CLI.run(["guest", "show", "--enable", "sgx,sgx1"])
        if refused.status == 0 { throw XCTSkip("this KVM offers SGX; the refusal cannot be shown here") }
        XCTAssertTrue(refused.stderr.contains("not offered by the base KVM_GET_SUPPORTED_CPUID"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-unsupported"), refused.stderr)

        let result = try CLI.run(["guest", "show", "--enable", "sgx,sgx1,sgx2,sgx-edeccssa", "--allow-unsupported", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let table = try entries(result.stdout)
        XCTAssertEqual(register(table, "0x00000012.0x00", "eax"), 0x803)
        XCTAssertNotNil(table["0x00000012.0x01"])
        XCTAssertGreaterThanOrEqual(register(table, "0x00000000.0x00", "eax"), 0x12)
    }

    func testShowTableAndRawFormats() throws {
        let table = try CLI.run(["guest", "show", "--base", richBase, "--disable", "sgx2"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("--disable sgx2  cleared SGX2 CPUID.(EAX=12H,ECX=0):EAX[1]"), table.stdout)
        XCTAssertTrue(table.stdout.contains("0x00000012.0x00  0x00000801*"), table.stdout)

        let raw = try CLI.run(["guest", "show", "--base", richBase, "--format", "raw"])
        XCTAssertEqual(raw.status, 0, raw.stderr)
        XCTAssertTrue(raw.stdout.contains("0x00000012 0x00: eax=0x00000803 ebx=0x00000001 ecx=0x00000000 edx=0x00003824"), raw.stdout)
    }

    func testBadEditsAreExplained() throws {
        let badSet = try CLI.run(["guest", "show", "--base", richBase, "--set", "0x12.0.rax=1"])
        XCTAssertNotEqual(badSet.status, 0)
        XCTAssertTrue(badSet.stderr.contains("register \"rax\" must be eax, ebx, ecx or edx"), badSet.stderr)

        let unknown = try CLI.run(["guest", "show", "--base", richBase, "--enable", "sgx-edecssa"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no feature is called \"sgx-edecssa\" (did you mean sgx-edeccssa"), unknown.stderr)

        let missingTemplate = try CLI.run(["guest", "show", "--base", richBase, "--template", "/nonexistent.json"])
        XCTAssertNotEqual(missingTemplate.status, 0)
        XCTAssertTrue(missingTemplate.stderr.contains("/nonexistent.json: cannot read"), missingTemplate.stderr)
    }

    func testTemplateEdit() throws {
        let template = Self.fixtures.appendingPathComponent("sgx-aexnotify.json").path
        let result = try CLI.run(["guest", "show", "--base", richBase, "--disable", "sgx", "--template", template, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let table = try entries(result.stdout)
        XCTAssertEqual(register(table, "0x00000012.0x00", "eax"), 0x803)
        XCTAssertEqual(register(table, "0x00000012.0x01", "eax"), 0x4b6)
        XCTAssertEqual(register(table, "0x00000000.0x00", "eax"), 0x1c)
    }

    func testExportFirecrackerRoundTripsThroughTemplate() throws {
        let exported = try CLI.run(["guest", "export", "--base", richBase, "--disable", "avx512f,sgx2", "--as", "firecracker"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        let modifiers = try XCTUnwrap(object["cpuid_modifiers"] as? [[String: Any]])
        XCTAssertTrue(modifiers.contains { $0["leaf"] as? String == "0x12" && $0["subleaf"] as? String == "0x0" })

        let path = (richBase as NSString).deletingLastPathComponent + "/exported.json"
        try exported.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let viaTemplate = try CLI.run(["guest", "show", "--base", richBase, "--template", path, "--json"])
        let direct = try CLI.run(["guest", "show", "--base", richBase, "--disable", "avx512f,sgx2", "--json"])
        XCTAssertEqual(viaTemplate.status, 0, viaTemplate.stderr)
        let a = try entries(viaTemplate.stdout)
        let b = try entries(direct.stdout)
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for key in a.keys {
            for name in ["eax", "ebx", "ecx", "edx"] {
                XCTAssertEqual(register(a, key, name), register(b, key, name), "\(key) \(name)")
            }
        }
    }

    /// A dump is not this host's KVM offer: QEMU gets a named model with exact edits, libvirt a custom exact
    /// model (`-cpu host` would hand the guest whatever the target host has).
    func testExportQEMUAndLibvirt() throws {
        let qemu = try CLI.run(["guest", "export", "--base", richBase, "--disable", "avx512f", "--as", "qemu"])
        XCTAssertEqual(qemu.status, 0, qemu.stderr)
        XCTAssertTrue(qemu.stdout.hasPrefix("-cpu "), qemu.stdout)
        XCTAssertFalse(qemu.stdout.hasPrefix("-cpu host"), qemu.stdout)
        XCTAssertFalse(qemu.stdout.contains("+avx512f"), qemu.stdout)
        XCTAssertTrue(qemu.stderr.contains("note: base model "), qemu.stderr)

        let libvirt = try CLI.run(["guest", "export", "--base", richBase, "--disable", "pclmulqdq", "--as", "libvirt"])
        XCTAssertEqual(libvirt.status, 0, libvirt.stderr)
        XCTAssertTrue(libvirt.stdout.hasPrefix("<cpu mode='custom' match='exact'"), libvirt.stdout)
        XCTAssertTrue(libvirt.stdout.contains("<model fallback='forbid'>"), libvirt.stdout)
        XCTAssertTrue(libvirt.stdout.contains("<vendor>Intel</vendor>"), libvirt.stdout)
        XCTAssertFalse(libvirt.stdout.contains("<feature policy='require' name='pclmuldq'/>"), libvirt.stdout)
        XCTAssertTrue(libvirt.stdout.hasSuffix("</cpu>\n"), libvirt.stdout)

        let custom = try CLI.run(["guest", "export", "--base", richBase, "--as", "libvirt", "--model", "Icelake-Server"])
        XCTAssertTrue(custom.stdout.contains("<model fallback='forbid'>Icelake-Server</model>"), custom.stdout)
    }

    func testRawOutputIsABase() throws {
        let raw = try CLI.run(["guest", "show", "--base", richBase, "--disable", "sgx2", "--format", "raw"])
        XCTAssertEqual(raw.status, 0, raw.stderr)
        let path = (richBase as NSString).deletingLastPathComponent + "/composed.txt"
        try raw.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try CLI.run(["guest", "show", "--base", path, "--json"])
        let direct = try CLI.run(["guest", "show", "--base", richBase, "--disable", "sgx2", "--json"])
        let a = try entries(again.stdout)
        let b = try entries(direct.stdout)
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for key in a.keys {
            for name in ["eax", "ebx", "ecx", "edx"] { XCTAssertEqual(register(a, key, name), register(b, key, name), "\(key) \(name)") }
        }
    }

    func testFullFirecrackerExportToAFile() throws {
        let path = (richBase as NSString).deletingLastPathComponent + "/full.json"
        let result = try CLI.run(["guest", "export", "--base", richBase, "--as", "firecracker", "--full", "--output", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "", "with --output nothing goes to standard output")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let modifiers = try XCTUnwrap(object["cpuid_modifiers"] as? [[String: Any]])
        XCTAssertEqual(modifiers.count, 22, "one modifier per entry of the dump")
        XCTAssertTrue(modifiers.allSatisfy { ($0["modifiers"] as? [[String: Any]])?.count == 4 })
    }

    func testRefusalAsJSON() throws {
        let result = try CLI.run(["guest", "show", "--base", richBase, "--disable", "sgx1", "--enable", "sgx-edeccssa", "--json"])
        XCTAssertEqual(result.status, 2, "a refused policy is a failure to answer, as in text mode")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(object["refused"] as? Bool, true)
        let problems = try XCTUnwrap(object["problems"] as? [String])
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].contains("cannot enable SGX_EDECCSSA: SGX1 is off"), problems[0])
    }
}
