import CPUID
import Foundation
import XCTest

/// Bad input of every kind is a `DumpError` with file, line, column and what was expected.
final class DumpErrorTests: XCTestCase {
    private func error(_ text: String, format: DumpFormat? = nil) -> DumpError? {
        do {
            let dump = try DumpReader.parse(text, name: "bad.txt", format: format)
            XCTFail("expected an error, read \(dump.cpus.count) CPUs")
            return nil
        } catch {
            return error
        }
    }

    private let good = "   0x00000000 0x00: eax=0x00000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"

    func testTruncatedLine() throws {
        let e = try XCTUnwrap(error("CPU:\n" + good + "   0x00000001 0x00: eax=0x0000\n"))
        XCTAssertEqual(e.file, "bad.txt")
        XCTAssertEqual(e.line, 3)
        XCTAssertEqual(e.column, 27)
        XCTAssertEqual(e.kind, .syntax(expected: "8 hex digits for EAX, but the line ends"))
        XCTAssertEqual(e.description, "bad.txt:3:27: expected 8 hex digits for EAX, but the line ends")
    }

    func testTruncatedAIDALine() throws {
        let e = try XCTUnwrap(error("CPUID 00000000: 00000001-68747541-444D\n"))
        XCTAssertEqual(e.line, 1)
        XCTAssertEqual(e.column, 35)
    }

    func testBadHex() throws {
        let e = try XCTUnwrap(error(good + "   0x00000001 0x00: eax=0x0000g000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"))
        XCTAssertEqual(e.line, 2)
        XCTAssertEqual(e.column, 31)
        XCTAssertEqual(e.kind, .syntax(expected: "a hex digit in EAX"))
    }

    func testTooManyDigits() throws {
        let e = try XCTUnwrap(error("CPUID 00000000: 000000010-68747541-444D4163-69746E65\n"))
        XCTAssertEqual(e.kind, .syntax(expected: "exactly 8 hex digits in EAX"))
    }

    func testConflictingDuplicateIsAnErrorAndAnIdenticalRepeatIsNot() throws {
        let e = try XCTUnwrap(error(good + good.replacingOccurrences(of: "eax=0x00000001", with: "eax=0x00000002")))
        XCTAssertEqual(e.line, 2)
        XCTAssertEqual(e.kind, .duplicateEntry(LeafKey(0), cpu: 0, firstLine: 1))
        XCTAssertEqual(try DumpReader.parse(good + good, name: "repeat").first.count, 1)
    }

    func testDuplicateOutOfOrderIsFound() throws {
        let leaf1 = "   0x00000001 0x00: eax=0x00000001 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
        let e = try XCTUnwrap(error(good + leaf1 + good.replacingOccurrences(of: "ebx=0x68747541", with: "ebx=0x00000000")))
        XCTAssertEqual(e.kind, .duplicateEntry(LeafKey(0), cpu: 0, firstLine: 1))
        XCTAssertEqual(e.line, 3)
    }

    func testDuplicateCPUHeader() throws {
        let e = try XCTUnwrap(error("CPU 1:\n" + good + "CPU 1:\n" + good))
        XCTAssertEqual(e.kind, .duplicateCPU(1, firstLine: 1))
        XCTAssertEqual(e.line, 3)
    }

    func testBinaryGarbage() throws {
        var bytes = Array(good.utf8)
        bytes += [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]
        XCTAssertThrowsError(try DumpReader.parse(bytes: bytes, name: "a.out")) { error in
            let e = error as? DumpError
            XCTAssertEqual(e?.kind, .binary(byte: 0x7f))
            XCTAssertEqual(e?.line, 2)
            XCTAssertEqual(e?.column, 1)
        }
    }

    func testControlBytesInsideOtherwiseValidLinesAreBinary() throws {
        let aida = try XCTUnwrap(error("CPUID 00000000: 00000001-68747541-444D4163-69746E65 [Genuine\u{01}]\n"))
        XCTAssertEqual(aida.kind, .binary(byte: 1))
        XCTAssertEqual(aida.column, 61)
        let raw = try XCTUnwrap(error(good.replacingOccurrences(of: "\n", with: "\u{0}\n")))
        XCTAssertEqual(raw.kind, .binary(byte: 0))
        XCTAssertEqual(raw.column, 80)
        XCTAssertEqual(error("\u{0}\u{1}\u{2}garbage")?.kind, .binary(byte: 0))
        XCTAssertEqual(error("{\"cpus\": [\u{7}]}")?.kind, .binary(byte: 7))
        XCTAssertThrowsError(try DumpReader.parse(bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], name: "image.png")) { error in
            XCTAssertEqual((error as? DumpError)?.kind, .binary(byte: 0x89), "a PNG signature is binary data, not an unknown format")
        }
        XCTAssertEqual(error("CPU:\n   0x00000000 0x00: eax=0x0000é001")?.kind, .syntax(expected: "a hex digit in EAX"),
                       "valid UTF-8 text in the wrong place is a syntax error")
    }

    func testEmptyAndBlankFiles() throws {
        XCTAssertEqual(error("")?.kind, .empty)
        XCTAssertEqual(error("  \n\n\t\n")?.kind, .empty)
        XCTAssertEqual(error("CPU 0:\n\n", format: .cpuidRaw)?.kind, .empty, "headers without any entries hold no dump")
    }

    func testUnknownFormat() throws {
        let e = try XCTUnwrap(error("\nprocessor : 0\nvendor_id : GenuineIntel\n"))
        guard case let .unknownFormat(tried) = e.kind else { return XCTFail("expected unknownFormat, got \(e.kind)") }
        XCTAssertEqual(e.line, 2)
        XCTAssertEqual(tried.count, 5, "one line per format family: \(tried)")
        XCTAssertTrue(tried[0].hasPrefix("raw (cpuid -r): line 2: `processor : 0`"), tried[0])
        XCTAssertTrue(tried[1].contains("in 2 non-blank lines"), tried[1])
        XCTAssertTrue(tried[2].hasPrefix("libcpuid: line 2:"), tried[2])
        XCTAssertTrue(tried[3].contains("line 2") && tried[3].contains("`<`"), tried[3])
        XCTAssertTrue(e.description.contains("\n  aida (AIDA64): no `CPUID xxxxxxxx"), e.description)
    }

    func testFileOverTheLimitIsRefusedBeforeReading() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-huge-\(getpid()).txt").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100_000_000)  // sparse: 100 MB that a reader would have to page in
        try handle.close()
        XCTAssertThrowsError(try DumpReader.read(path: path)) { error in
            XCTAssertEqual((error as? DumpError)?.kind, .tooLarge(bytes: 100_000_000, limit: DumpReader.sizeLimit))
        }
    }

    func testMissingFile() throws {
        XCTAssertThrowsError(try DumpReader.read(path: "/nonexistent/dump.txt")) { error in
            guard case .unreadable = (error as? DumpError)?.kind else { return XCTFail("\(error)") }
            XCTAssertEqual((error as? DumpError)?.file, "/nonexistent/dump.txt")
        }
    }

    func testUnknownLibcpuidKeyIsNamed() throws {
        let e = try XCTUnwrap(error("basic_cpuid[0]=00000001 00000000 00000000 00000000\nintel_fn99[0]=00000000 00000000 00000000 00000000\n"))
        XCTAssertEqual(e.kind, .unknownKey("intel_fn99"))
        XCTAssertEqual(e.line, 2)
        XCTAssertTrue(e.description.contains("intel_fn99"))
    }

    func testLibcpuidDuplicateSlotAndMissingLeafZero() throws {
        let line = "basic_cpuid[0]=00000001 00000000 00000000 00000000\n"
        XCTAssertEqual(error(line + line)?.line, 2)
        XCTAssertEqual(error("basic_cpuid[1]=00000001 00000000 00000000 00000000\n")?.line, 1)
    }

    func testARMDumpIsNotX86() throws {
        guard case .notX86 = error("_________________ Logical CPU #0 _________________\narm_midr=00000000410fd493\n")?.kind else {
            return XCTFail("ARM dumps must be refused as not x86")
        }
    }

    func testLibvirtErrorsHavePositions() throws {
        let missing = try XCTUnwrap(error("<cpudata arch='x86'>\n  <cpuid eax_in='0x0' eax='0x1' ebx='0x0' ecx='0x0'/>\n</cpudata>\n"))
        XCTAssertEqual(missing.line, 2)
        XCTAssertEqual(missing.column, 3)
        XCTAssertEqual(missing.kind, .syntax(expected: "attribute `edx` on <cpuid>"))
        let unclosed = try XCTUnwrap(error("<cpudata arch='x86'>\n  <cpuid eax_in='0x0' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/>\n"))
        XCTAssertEqual(unclosed.kind, .syntax(expected: "</cpudata> before the end of the file"))
        let badNumber = try XCTUnwrap(error("<cpudata arch='x86'>\n<cpuid eax_in='zz' eax='0x1' ebx='0x0' ecx='0x0' edx='0x0'/>\n</cpudata>"))
        XCTAssertEqual(badNumber.line, 2)
        XCTAssertEqual(badNumber.column, 16)
    }

    func testJSONErrorsHavePositions() throws {
        let syntax = try XCTUnwrap(error("{\"cpus\": [\n  {\"cpu\": 0, \"entries\": [,]}\n]}"))
        XCTAssertEqual(syntax.line, 2)
        XCTAssertEqual(syntax.column, 26)
        let schema = try XCTUnwrap(error("{\"cpus\": [{\"cpu\": 0, \"entries\": [\n {\"leaf\": \"0x1\", \"eax\": true, \"ebx\": 0, \"ecx\": 0, \"edx\": 0}]}]}"))
        XCTAssertEqual(schema.line, 2)
        XCTAssertEqual(schema.column, 25)
        XCTAssertEqual(schema.kind, .syntax(expected: "a hex string or an integer for eax, not a boolean"))
        let version = try XCTUnwrap(error("{\"format\": \"vcpuid-dump\", \"version\": 2, \"cpus\": []}"))
        XCTAssertEqual(version.column, 38)
        let deep = String(repeating: "[", count: 200)
        XCTAssertNotNil(error("{\"cpus\": \(deep)", format: .json))
        let twice = try XCTUnwrap(error("{\"cpus\": [{\"cpu\": 0, \"entries\": [\n {\"leaf\": 0, \"eax\": 1, \"eax\": 2, \"ebx\": 0, \"ecx\": 0, \"edx\": 0}]}]}"))
        XCTAssertEqual(twice.line, 2)
        XCTAssertEqual(twice.column, 24, "points at the second \"eax\"")
        XCTAssertEqual(twice.kind, .syntax(expected: "each member name once in an object, found a duplicate member \"eax\""))
        let lone = try XCTUnwrap(error("{\"origin\": \"\\ud800\", \"cpus\": []}", format: .json))
        XCTAssertEqual(lone.column, 19, "an unpaired surrogate is refused where its low half should be, not replaced")
    }

    func testHeaderSyntax() throws {
        XCTAssertEqual(error("CPU x:\n" + good, format: .cpuidRaw)?.kind, .syntax(expected: "a decimal number for the CPU number"))
        XCTAssertTrue(error("------[ Logical CPU ]------\n")?.message.hasPrefix("expected an AIDA64 register line") ?? false,
                      "a header alone holds no data")
        XCTAssertEqual(error("CPUID 00000004: 00000001-68747541-444D4163-69746E65 [SL zz]\n")?.kind,
                       .syntax(expected: "a hex number for the subleaf in `[SL nn]`"))
    }
}
