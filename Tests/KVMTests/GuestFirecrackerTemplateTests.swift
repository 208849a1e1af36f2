import CPUID
import Foundation
import XCTest
@testable import KVM

final class GuestFirecrackerTemplateTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/firecracker")

    func fixture(_ name: String) throws -> (path: String, text: String) {
        let path = Self.fixtures.appendingPathComponent(name).path
        return (path, try String(contentsOfFile: path, encoding: .utf8))
    }

    /// A KVM-like base without SGX: leaf 0x12 reported as zeros, as KVM does when SGX is off.
    static let base = Snapshot([
        CPUIDEntry(leaf: 0x0, eax: 0x1c, ebx: 0x6874_7541, ecx: 0x444d_4163, edx: 0x6974_6e65),
        CPUIDEntry(leaf: 0x1, eax: 0x00a1_0f11, ebx: 0x0102_0800, ecx: 0x8120_2000, edx: 0x078b_fbff),
        CPUIDEntry(leaf: 0x7, subleaf: 0, eax: 1, ebx: 0x0180_0002, ecx: 0x4000_0104, edx: 0x2000_0000),
        CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0, ebx: 0, ecx: 0, edx: 0),
        CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0021, ebx: 0, ecx: 0, edx: 0),
        CPUIDEntry(leaf: 0x8000_0001, eax: 0x00a1_0f11, ebx: 0x4000_0000, ecx: 0x0040_0393, edx: 0x23d3_fbff),
    ])

    func testReadThenWriteIsIdentity() throws {
        let (path, text) = try fixture("sgx-aexnotify.json")
        let template = try FirecrackerTemplate.parse(text, file: path)
        XCTAssertEqual(template.cpuidModifiers.count, 5)
        XCTAssertEqual(template.msrModifiers.map(\.address), [0x10a])
        XCTAssertEqual(template.otherMembers.map(\.key), ["kvm_capabilities"])
        XCTAssertEqual(template.rendered(), text)
    }

    func testVerbatimMembersKeep64BitNumbersAndEscapes() throws {
        let text = """
            {
              "vcpu_features": [
                {
                  "index": 0,
                  "bitmap": "0b1"
                }
              ],
              "cpuid_modifiers": [],
              "reg_modifiers": [
                {
                  "addr": "0x603000000013df01",
                  "bitmap": "0bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1",
                  "limit": 18446744073709551615,
                  "note": "tab\\t quote\\" \\u0001 é"
                }
              ]
            }

            """
        let template = try FirecrackerTemplate.parse(text, file: "t.json")
        XCTAssertEqual(template.otherMembers.map(\.key), ["vcpu_features", "reg_modifiers"])
        XCTAssertEqual(template.rendered(), text, "member order, 64-bit numbers and escapes read back byte for byte")
    }

    func testReadApplyWriteIsIdentity() throws {
        let (path, text) = try fixture("sgx-aexnotify.json")
        let template = try FirecrackerTemplate.parse(text, file: path)
        let applied = template.apply(to: Self.base)
        XCTAssertEqual(template.mismatches(in: applied), [], "every decided bit reads back")
        XCTAssertEqual(applied.value(0x12, 0, .eax), 0x803)
        XCTAssertEqual(applied.value(0x12, 1, .eax), 0x4b6)
        XCTAssertTrue(applied.isSet(CPUIDField(0x7, 0, .ebx, bit: 2)))
        XCTAssertFalse(applied.isSet(CPUIDField(0x7, 0, .ecx, bit: 30)), "the template clears SGX_LC")
        XCTAssertEqual(applied.value(0x7, 0, .ebx) & ~UInt32(4), Self.base.value(0x7, 0, .ebx), "x bits are kept")
        XCTAssertEqual(applied.entry(0x12, 2)?.significantIndex, true, "a created entry takes the template's flags")

        // Write what was applied as a template, read it back, apply it: the same table.
        let written = FirecrackerTemplate.difference(from: Self.base, to: applied)
        let reread = try FirecrackerTemplate.parse(written.rendered(), file: "written.json")
        XCTAssertEqual(reread, written)
        XCTAssertEqual(reread.apply(to: Self.base), applied)
        XCTAssertEqual(reread.rendered(), written.rendered())
    }

    func testDescribingATableRecreatesItFromNothing() throws {
        let template = FirecrackerTemplate.describing(Self.base)
        let reread = try FirecrackerTemplate.parse(template.rendered(), file: "full.json")
        XCTAssertEqual(reread.apply(to: Snapshot()), Self.base)
    }

    func testDocumentedSpellingsAreUnderstood() throws {
        let (path, text) = try fixture("documented-style.json")
        let template = try FirecrackerTemplate.parse(text, file: path)
        XCTAssertEqual(template.cpuidModifiers.map(\.leaf), [0x1, 0x8000_0001], "hex and decimal leaf strings")
        let eax = template.cpuidModifiers[0].modifiers[0].bitmap
        XCTAssertEqual(eax.filter, 0x0fff_3fff)
        XCTAssertEqual(eax.value, 0x0003_06f2)
        let ecx = template.cpuidModifiers[0].modifiers[1].bitmap
        XCTAssertEqual(ecx.filter, 0x50, "a contracted bitmap leaves its missing high bits as x; _ separates")
        XCTAssertEqual(ecx.value, 0x40)
        XCTAssertEqual(ecx.description, "0b" + String(repeating: "x", count: 25) + "1x0xxxx")
        let applied = template.apply(to: Self.base)
        XCTAssertEqual(applied.value(0x8000_0001, 0, .edx), Self.base.value(0x8000_0001, 0, .edx) & ~1)
        XCTAssertEqual(applied.value(0x1, 0, .eax) & 0x0fff_3fff, 0x0003_06f2)
        XCTAssertEqual(template.msrModifiers.first?.bitmap.filter, UInt64.max)
    }

    func testErrorsNameFileLineAndColumn() {
        func error(_ text: String) -> FirecrackerTemplateError? {
            do {
                _ = try FirecrackerTemplate.parse(text, file: "t.json")
                return nil
            } catch {
                return error
            }
        }
        let badBitmap = """
            {"cpuid_modifiers": [
              {"leaf": "0x1", "subleaf": "0x0", "flags": 0,
               "modifiers": [{"register": "eax", "bitmap": "0b1x2"}]}
            ]}
            """
        let bitmapError = error(badBitmap)
        XCTAssertEqual(bitmapError?.line, 3)
        XCTAssertEqual(bitmapError?.column, 53, "points at the '2'")
        XCTAssertEqual(bitmapError?.description, "t.json:3:53: bitmap \"0b1x2\" has '2' at character 5; expected 0, 1, x or _")

        let syntax = error("{\n  \"cpuid_modifiers\": [\n  }\n")
        XCTAssertEqual(syntax?.line, 3)
        XCTAssertEqual(syntax?.column, 3)
        XCTAssertTrue(syntax?.message.contains("expected a value") ?? false, syntax?.description ?? "")

        let missing = error("{\"cpuid_modifiers\": [{\"leaf\": \"0x1\", \"flags\": 0, \"modifiers\": []}]}")
        XCTAssertEqual(missing?.description, "t.json:1:22: a CPUID modifier lacks \"subleaf\"")

        let register = error("{\"cpuid_modifiers\": [{\"leaf\": \"0x1\", \"subleaf\": \"0\", \"flags\": 0, \"modifiers\": [{\"register\": \"rax\", \"bitmap\": \"0b1\"}]}]}")
        XCTAssertTrue(register?.message.contains("\"eax\", \"ebx\", \"ecx\" or \"edx\"") ?? false, register?.description ?? "")

        let leaf = error("{\"cpuid_modifiers\": [{\"leaf\": 1, \"subleaf\": \"0\", \"flags\": 0, \"modifiers\": []}]}")
        XCTAssertEqual(leaf?.column, 31)
        XCTAssertTrue(leaf?.message.contains("as a string") ?? false)

        let tooWide = error("{\"cpuid_modifiers\": [{\"leaf\": \"1\", \"subleaf\": \"0\", \"flags\": 0, \"modifiers\": [{\"register\": \"eax\", \"bitmap\": \"0b\(String(repeating: "1", count: 33))\"}]}]}")
        XCTAssertTrue(tooWide?.message.contains("more than 32 bits") ?? false, tooWide?.description ?? "")

        XCTAssertTrue(error("{\"cpu_modifiers\": []}")?.message.contains("unknown member \"cpu_modifiers\"") ?? false)
        XCTAssertTrue(error("[]")?.message.contains("an object") ?? false)
        XCTAssertTrue(error("{\"cpuid_modifiers\": []} x")?.message.contains("end of the text") ?? false)
        XCTAssertTrue(error("{\"cpuid_modifiers\": [], \"cpuid_modifiers\": []}")?.message.contains("duplicate") ?? false)
    }

    func testReadingAMissingFileNamesIt() {
        XCTAssertThrowsError(try FirecrackerTemplate.read(path: "/nonexistent/template.json")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/template.json: cannot read"), "\(error)")
        }
    }

    func testWriteIsAtomicAndReadable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-fc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.json").path
        let template = FirecrackerTemplate.describing(Self.base)
        try template.write(to: path)
        try template.write(to: path)
        XCTAssertEqual(try FirecrackerTemplate.read(path: path), template)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["t.json"])
    }
}
