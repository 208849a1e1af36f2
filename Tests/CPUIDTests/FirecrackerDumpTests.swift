import CPUID
import XCTest

/// Firecracker CPU configurations read wherever a dump is: templates, `template dump` output, fingerprints.
final class FirecrackerDumpTests: XCTestCase {
    private func path(_ name: String) -> String {
        FixturePaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/firecracker/\(name)").path
    }

    func testTemplateDumpIsDetectedAndEveryBitLandsAsAnEntryOrMSR() throws {
        let dump = try DumpReader.read(path: path("template-dump.json"))
        guard case .file(_, .firecracker) = dump.origin else { return XCTFail("detected as \(dump.origin)") }
        let cpu = dump.first
        XCTAssertEqual(cpu.keys, [LeafKey(0), LeafKey(1), LeafKey(7), LeafKey(0xD, 1)])
        XCTAssertEqual(cpu.registers(1), Registers(eax: 0x0003_06A9, ebx: 0x800, ecx: 0xF7FA_3203, edx: 0x0F8B_FBFF))
        XCTAssertEqual(cpu.entry(7)?.significantIndex, true, "flags 1 is KVM's significant-index flag")
        XCTAssertEqual(cpu.entry(1)?.significantIndex, false)
        XCTAssertEqual(cpu.msrs, [MSR(0x10A, .value(0x0C0A_0CEB)), MSR(0x345, .value(0x33C5))])
    }

    func testFingerprintReadsItsGuestConfiguration() throws {
        let fingerprint = try DumpReader.read(path: path("fingerprint.json"))
        let template = try DumpReader.read(path: path("template-dump.json"))
        XCTAssertEqual(fingerprint.cpus, template.cpus)
    }

    func testAPartialTemplateIsRefusedWithoutABaseAtTheBitmapThatLeavesBitsOpen() throws {
        XCTAssertThrowsError(try DumpReader.read(path: path("documented-style.json"))) { error in
            let e = error as? DumpError
            XCTAssertEqual(e?.line, 10, "the eax bitmap of the first modifier")
            XCTAssertEqual(e?.column, 31)
            XCTAssertTrue(e?.message.contains("EAX of leaf 0x00000001.0x00 leaves bits unspecified (x)") ?? false, "\(String(describing: e))")
            XCTAssertTrue(e?.message.contains("give --base FILE") ?? false)
        }
        let onlyEAX = """
            {"cpuid_modifiers": [{"leaf": "0x0", "subleaf": "0x0", "flags": 0, "modifiers": [
              {"register": "eax", "bitmap": "0b00000000000000000000000000001101"}]}]}
            """
        XCTAssertThrowsError(try DumpReader.parse(onlyEAX, name: "t.json")) { error in
            XCTAssertTrue((error as? DumpError)?.message.contains("EBX of leaf 0x00000000.0x00 is not given") ?? false, "\(error)")
        }
    }

    func testABaseSuppliesWhatTheTemplateLeavesOpen() throws {
        let base = try DumpReader.read(path: FixturePaths.fixture("json-small.json")).first
        let dump = try DumpReader.read(path: path("documented-style.json"), base: base)
        let cpu = dump.first
        let eax = base.value(1, 0, .eax)
        XCTAssertEqual(cpu.value(1, 0, .eax) & 0xF000_0000, eax & 0xF000_0000, "x bits keep the base's value")
        XCTAssertEqual(cpu.value(1, 0, .eax) & 0x0FFF_CFFF, 0x0003_06F2 & 0x0FFF_CFFF, "decided bits take the template's")
        XCTAssertEqual(cpu.value(0x8000_0001, 0, .edx) & 1, 0)
        XCTAssertEqual(cpu.value(0, 0, .ebx), base.value(0, 0, .ebx), "entries the template does not name are the base's")
        XCTAssertEqual(cpu.msr(0x10A), .value(0))
    }

    func testAPartialMSRNeedsTheBaseToHaveThatMSR() throws {
        let text = """
            {"cpuid_modifiers": [], "msr_modifiers": [{"addr": "0x10a", "bitmap": "0b1xxxx"}]}
            """
        XCTAssertThrowsError(try DumpReader.parse(text, name: "t.json")) { error in
            XCTAssertTrue((error as? DumpError)?.message.contains("no --base dump supplies them") ?? false, "\(error)")
        }
        let base = Snapshot([], msrs: [MSR(0x10A, .value(0x0C0A_0CEB))])
        let dump = try DumpReader.parse(text, name: "t.json", base: base)
        XCTAssertEqual(dump.first.msr(0x10A), .value(0x0C0A_0CFB))
    }

    func testSchemaErrorsKeepTheirPosition() throws {
        XCTAssertThrowsError(try DumpReader.parse("{\"cpuid_modifiers\": [], \"bogus\": 1}", name: "t.json", format: .firecracker)) { error in
            let e = error as? DumpError
            XCTAssertEqual(e?.line, 1)
            XCTAssertEqual(e?.column, 34)
            XCTAssertTrue(e?.message.contains("unknown member \"bogus\"") ?? false, "\(error)")
        }
    }

    func testAFirecrackerDumpIsNotWritableAsADumpFormat() {
        XCTAssertThrowsError(try DumpWriter.render(Dump(snapshot: Snapshot(), origin: .guest), as: .firecracker)) { error in
            XCTAssertEqual(error as? DumpWriteError, .notWritable(.firecracker))
        }
    }
}
