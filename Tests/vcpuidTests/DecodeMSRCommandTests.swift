import Foundation
import XCTest

/// `vcpuid decode` names every bit of the feature MSRs a dump carries, and decodes values given with --msr.
final class DecodeMSRCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func testDumpMSRsAreDecodedBitByBit() throws {
        let path = Self.fixtures.appendingPathComponent("guest/kvm-supported-pvm-epyc.json").path
        let text = try CLI.run(["decode", path])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("MSR 0x0000010a  IA32_ARCH_CAPABILITIES = 0x400000000c000069"), text.stdout)
        XCTAssertTrue(text.stdout.contains("GDS_NO                  yes"), text.stdout)
        XCTAssertTrue(text.stdout.contains("ITS_NO                  yes"), text.stdout)
        XCTAssertTrue(text.stdout.contains("microcode revision 0x1000065 (AMD patch level"), text.stdout)
        let json = try CLI.run(["decode", path, "--json"])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let cpu = try XCTUnwrap((document["cpus"] as? [[String: Any]])?.first)
        let msrs = try XCTUnwrap(cpu["msrs"] as? [[String: Any]])
        XCTAssertEqual(msrs.map { $0["index"] as? String }, ["0x0000008b", "0x000000ce", "0x0000010a", "0x00000345"])
    }

    func testGivenValuesUnknownBitsAndTheIntelRevisionLayout() throws {
        let intel = Self.fixtures.appendingPathComponent("formats/aida-two-cpus.txt").path
        let result = try CLI.run(["decode", intel, "--msr", "0x8b=0x000000f000000000", "--msr", "0x10a=0x8000000000000020"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("microcode revision 0xf0 (Intel, high dword)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("MDS_NO                  yes"), result.stdout)
        XCTAssertTrue(result.stdout.contains("bit 63        unknown"), result.stdout)
        let bad = try CLI.run(["decode", intel, "--msr", "0x10a"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--msr expects INDEX=VALUE"), bad.stderr)
    }
}
