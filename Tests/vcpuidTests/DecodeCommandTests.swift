import Foundation
import XCTest

final class DecodeCommandTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/decoders/\(name)").path
    }

    func testTextGroupsFieldsUnderTheirRawRegisters() throws {
        let result = try CLI.run(["decode", Self.fixture("intel-core-i3-1220p.raw")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "CPU 0  GenuineIntel  12th Gen Intel(R) Core(TM) i3-1220P  family 0x6 model 0x9a stepping 4")
        let leaf71 = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("leaf 0x00000007.0x01") })
        XCTAssertEqual(lines[leaf71], "leaf 0x00000007.0x01  eax=0x00400810  ebx=0x00000000  ecx=0x00000000  edx=0x00000000")
        XCTAssertTrue(lines[(leaf71 + 1)...].contains { $0.hasPrefix("  EAX[4]      avx_vnni") && $0.hasSuffix(" yes") })
        // Columns line up within a leaf: every field line of leaf 1 has its meaning at one column.
        let leaf1 = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("leaf 0x00000001.0x00") })
        let leaf1Lines = lines[(leaf1 + 1)...].prefix { $0.hasPrefix("  ") }
        XCTAssertGreaterThan(leaf1Lines.count, 60)
        let columns = Set(leaf1Lines.map { line in
            line.distance(from: line.startIndex, to: line.range(of: "  ", options: .backwards)!.upperBound)
        })
        XCTAssertEqual(columns.count, 1, "meanings of leaf 1 do not line up")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  ECX[31:16]  l2_size ") && $0.hasSuffix(" 1280 KiB") })
    }

    func testOneLeafInHexOrSDMNotation() throws {
        for spelling in ["0xd", "0XD", "dh", "13"] {
            let result = try CLI.run(["decode", Self.fixture("amd-epyc-genoa-kvm.raw"), "--leaf", spelling])
            XCTAssertEqual(result.status, 0, result.stderr)
            let headers = result.stdout.split(separator: "\n").filter { $0.hasPrefix("leaf ") }
            XCTAssertEqual(headers.map { String($0.prefix(20)) }, [
                "leaf 0x0000000d.0x00", "leaf 0x0000000d.0x01", "leaf 0x0000000d.0x02", "leaf 0x0000000d.0x05",
                "leaf 0x0000000d.0x06", "leaf 0x0000000d.0x07", "leaf 0x0000000d.0x0b", "leaf 0x0000000d.0x0c",
            ], spelling)
            XCTAssertTrue(result.stdout.contains("avx_offset"), spelling)
        }
    }

    func testJSONCarriesEveryField() throws {
        let result = try CLI.run(["decode", Self.fixture("amd-epyc-genoa-kvm.raw"), "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let cpus = try XCTUnwrap(root["cpus"] as? [[String: Any]])
        XCTAssertEqual(cpus.count, 1)
        XCTAssertEqual(cpus[0]["vendor"] as? String, "AuthenticAMD")
        let leaves = try XCTUnwrap(cpus[0]["leaves"] as? [[String: Any]])
        let leaf8 = try XCTUnwrap(leaves.first { $0["leaf"] as? String == "0x80000008" })
        XCTAssertEqual(leaf8["ebx"] as? String, "0x50020005")
        let fields = try XCTUnwrap(leaf8["fields"] as? [[String: Any]])
        let bits = try XCTUnwrap(fields.first { $0["name"] as? String == "physical_address_bits" })
        XCTAssertEqual(bits["value"] as? Int, 48)
        XCTAssertEqual(bits["meaning"] as? String, "48 bits")
        XCTAssertEqual(bits["register"] as? String, "eax")
        XCTAssertEqual(bits["high"] as? Int, 7)
        let brand = try XCTUnwrap(leaves.first { $0["leaf"] as? String == "0x80000002" }?["fields"] as? [[String: Any]])
        XCTAssertEqual(brand.first?["meaning"] as? String, "AMD EPYC")
    }

    func testBadInputIsRefusedWithAReason() throws {
        let badLeaf = try CLI.run(["decode", Self.fixture("amd-epyc-genoa-kvm.raw"), "--leaf", "seven"])
        XCTAssertNotEqual(badLeaf.status, 0)
        XCTAssertTrue(badLeaf.stderr.contains("--leaf expects a leaf number"), badLeaf.stderr)
        let missing = try CLI.run(["decode", "/nonexistent/dump.raw"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/dump.raw"), missing.stderr)
        XCTAssertTrue(missing.stdout.isEmpty)
    }

    func testAllCPUsOfAMultiCPUFile() throws {
        let one = try String(contentsOfFile: Self.fixture("intel-core-i3-1220p.raw"), encoding: .utf8)
        let two = one + one.replacingOccurrences(of: "CPU 0:", with: "CPU 1:")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-decode-two-\(getpid()).raw")
        try two.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let all = try CLI.run(["decode", file.path, "--all-cpus", "--leaf", "1"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(all.stdout.split(separator: "\n").filter { $0.hasPrefix("CPU ") }.map { String($0.prefix(5)) },
                       ["CPU 0", "CPU 1"])
        let second = try CLI.run(["decode", file.path, "--cpu", "1", "--leaf", "1"])
        XCTAssertTrue(second.stdout.hasPrefix("CPU 1  GenuineIntel"), second.stdout)
    }

    func testThisMachine() throws {
        #if arch(x86_64)
        let result = try CLI.run(["decode", "--leaf", "0"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("vendor_id"), result.stdout)
        #else
        throw XCTSkip("not an x86 machine: there is no CPUID to read")
        #endif
    }
}
