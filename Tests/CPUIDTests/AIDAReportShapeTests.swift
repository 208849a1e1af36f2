import CPUID
import XCTest

/// Every shape of real AIDA64 reports (../shared/facts/aida64-reports.md), one fixture each under
/// Tests/Fixtures/aida-shapes: each CPU, leaf, subleaf and MSR must land where the report says.
final class AIDAReportShapeTests: XCTestCase {
    private func read(_ name: String) throws -> Dump {
        let path = FixturePaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/aida-shapes/\(name)").path
        let dump = try DumpReader.read(path: path)
        guard case .file(_, .aida) = dump.origin else {
            XCTFail("\(name) was not detected as AIDA64 but as \(dump.origin)")
            return dump
        }
        return dump
    }

    private func parse(_ text: String) throws -> Dump { try DumpReader.parse(text, name: "report.txt", format: .aida) }

    private func error(_ text: String) -> DumpError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as DumpError {
            return error
        } catch {
            return nil
        }
    }

    func testEveryRegisterLineSpelling() throws {
        let cpu = try XCTUnwrap(read("spellings.txt").cpu(0))
        XCTAssertEqual(cpu.registers(0), Registers(eax: 0xD, ebx: 0x756E_6547, ecx: 0x6C65_746E, edx: 0x4965_6E69))
        XCTAssertEqual(cpu.value(1, 0, .ecx), 0x7ED8_320B, "lower-case hex digits")
        XCTAssertEqual(cpu.subleaves(of: 4).map(\.subleaf), [0, 1], "[SL nn] before another annotation")
        XCTAssertEqual(cpu.value(6, 0, .eax), 4, "a space before the colon")
        XCTAssertEqual(cpu.registers(7), Registers(eax: 0, ebx: 0x219C_91A9, ecx: 0x0040_0004, edx: 0), "blanks around the colon and between registers")
        XCTAssertEqual(cpu.value(0xA, 0, .edx), 0x603, "no colon")
        XCTAssertEqual(cpu.value(0xB, 0, .ecx), 0x100, "a tab and no colon")
        XCTAssertEqual(cpu.value(0x8000_0000, 0, .eax), 0x8000_0008, "spaces between registers")
        XCTAssertEqual(cpu.value(0x8000_0006, 0, .ecx), 0x0200_6140, "a slash inside the annotation")
        XCTAssertEqual(cpu.value(0x8000_0005, 0, .edx), 0x2008_0140, "unbalanced brackets and trailing spaces")
        XCTAssertEqual(cpu.value(0x8000_0008, 0, .ecx), 0x700F, "trailing spaces")
        XCTAssertEqual(cpu.count, 12)
    }

    func testCRLFAndTrailingBlanksAndNoHeader() throws {
        let dump = try read("crlf.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0])
        XCTAssertEqual(dump.first.value(1, 0, .edx), 0x078B_FBFF)
    }

    func testEverySectionHeaderNamesItsCPU() throws {
        let dump = try read("headers.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1, 2, 3, 4, 5])
        for cpu in dump.cpus {
            XCTAssertEqual(cpu.snapshot.value(0, 0, .eax), UInt32(cpu.number + 1), "CPU \(cpu.number)'s leaf 0 says which header it sat under")
            XCTAssertEqual(cpu.snapshot.count, 1, "`allcpu:` lines and the banner are not data")
        }
    }

    func testGroupHeadersCountUpFromZero() throws {
        let dump = try read("groups.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1])
        XCTAssertEqual(dump.cpu(1)?.value(1, 0, .ebx), 0x0100_0800)
    }

    func testHeaderlessCPUsSplitWhereLeafZeroComesAgainAndSubleavesCountByPosition() throws {
        let dump = try read("headerless.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1])
        let second = try XCTUnwrap(dump.cpu(1))
        XCTAssertEqual(second.value(1, 0, .ebx), 0x0100_0800)
        XCTAssertEqual(second.subleaves(of: 4).map(\.subleaf), [0, 1, 2, 3])
        XCTAssertEqual(second.value(4, 2, .eax), 0x0400_4143)
    }

    func testTopologyListIsNeitherAHeaderNorCPUIDRawText() throws {
        let dump = try read("topology.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 3], "`CPU  3: APICID ...` lists topology; only the sections are CPUs")
        XCTAssertEqual(dump.cpu(3)?.value(1, 0, .ebx), 0x0300_0800)
        XCTAssertEqual(DumpReader.detectFormat("CPU  3: APICID   6 / Package 0 / Core  3 / Thread 0: Valid\n"), nil)
        XCTAssertEqual(DumpReader.detectFormat("CPU 3:\n   0x00000000 0x00: eax=0x00000001 ebx=0x0 ecx=0x0 edx=0x0\n"), .cpuidRaw)
    }

    func testMSRSectionsByCPUWithFaultsAnnotationsAndGarbledHeaders() throws {
        let dump = try read("msr-sections.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1])
        let cpu0 = try XCTUnwrap(dump.cpu(0))
        XCTAssertEqual(cpu0.msrs, [MSR(0x17, .value(0)), MSR(0x49, .faulted), MSR(0x10A, .value(0x0C0A_0CEB)),
                                   MSR(0x345, .value(0x33C5))])
        XCTAssertEqual(cpu0.msr(0x49), .faulted, "a faulted read is kept")
        XCTAssertNil(cpu0.msr(0x48), "an MSR the report does not list was not sampled")
        let cpu1 = try XCTUnwrap(dump.cpu(1))
        XCTAssertEqual(cpu1.msr(0xCE), .value(0x0004_0000_8108_1300))
        XCTAssertEqual(cpu1.msr(0x199), .value(0x1D00), "a header without its number continues the current CPU")
        XCTAssertEqual(cpu1.value(1, 0, .ebx), 0x0100_0800, "the CPUID data of a CPU survives its MSR section")
    }

    func testAnMSRSectionWithoutANumberBelongsToTheLastSection() throws {
        let dump = try read("msr-one-section.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [2])
        XCTAssertEqual(dump.first.msrs, [MSR(0x48, .faulted), MSR(0x10A, .value(4))])
    }

    func testInformationalLinesAndOtherSectionsAreSkipped() throws {
        let dump = try read("informational.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0])
        XCTAssertEqual(dump.first.keys, [LeafKey(0), LeafKey(1)], "summary, clock, cache, DMI and per-core lines carry no data")
    }

    func testSubleavesByPositionAndIdenticalRepeats() throws {
        let cpu = try XCTUnwrap(read("positional.txt").cpu(0))
        XCTAssertEqual(cpu.subleaves(of: 2).map(\.subleaf), [0], "an identical repeat of a leaf without subleaves counts once")
        XCTAssertEqual(cpu.subleaves(of: 4).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(cpu.value(4, 2, .ecx), 0x1FF)
        XCTAssertEqual(cpu.subleaves(of: 0xD).map(\.subleaf), [0, 1, 2, 3], "an explicit [SL nn] sets the position")
        XCTAssertEqual(cpu.value(0xD, 3, .ebx), 0x3C0)
        XCTAssertEqual(cpu.value(0x12, 0, .eax), 0x803)
        XCTAssertEqual(cpu.value(0x12, 1, .eax), 0xB6)
    }

    func testDetectionLooksPastBannersAndSummaries() throws {
        for name in ["headers.txt", "topology.txt", "informational.txt", "msr-one-section.txt", "groups.txt"] {
            _ = try read(name)  // read() fails unless detection chose AIDA64
        }
    }

    func testAMessyRealisticReportReadsWhole() throws {
        let text = """
            AIDA64 CPUID dump\r
            CPU  0: APICID   0 / Package 0 / Core  0 / Thread 0: Valid\r
            CPUID Manufacturer : AuthenticAMD\r
            \r
            CPU#000 AffMask: 0x0000000000000001\r
            allcpu: Package 0 / Core 0 / Thread 0: Valid\r
            CPUID 00000000 : 00000010 68747541 444D4163 69746E65 [AuthenticAMD]\r
            CPUID 0000000d\t00000207-00000340-00000380-00000000 [SL 00] [x87]\r
            CPUID 0000000d\t0000000F-00000340-00000000-00000000 [SL 01] [SSE]\r
            MSR C0010015: 0000-0000-0100-0010 [HWCR]\r
            L1 Data Cache: 32 KB, 8-Way\r
            """
        let dump = try DumpReader.parse(text, name: "messy.txt")
        XCTAssertEqual(dump.cpus.count, 1)
        XCTAssertEqual(dump.first.subleaves(of: 0xD).map(\.subleaf), [0, 1])
        XCTAssertEqual(dump.first.msr(0xC001_0015), .value(0x0100_0010))
    }

    func testByteOrderMarksAndUTF16AsWindowsToolsSaveThem() throws {
        let text = "CPUID 00000000: 00000001-68747541-444D4163-69746E65\r\nCPUID 00000001: 00000F48-00000800-00000000-078BFBFF\r\n"
        let withMark = try DumpReader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), name: "bom.txt")
        XCTAssertEqual(withMark.first.keys, [LeafKey(0), LeafKey(1)], "the first line is read past the UTF-8 mark")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { utf16 += [UInt8(unit & 0xff), UInt8(unit >> 8)] }
        let wide = try DumpReader.parse(bytes: utf16, name: "unicode.txt")
        XCTAssertEqual(wide.first, withMark.first, "UTF-16 (Notepad's Unicode) reads like UTF-8")
        guard case .file(_, .aida) = wide.origin else { return XCTFail("detected as \(wide.origin)") }
    }

    // MARK: errors

    func testADamagedRegisterLineIsAnErrorWithItsPosition() throws {
        let truncated = try XCTUnwrap(error("CPUID 00000000: 00000001-68747541-444D4163-69746E65\nCPUID 00000001: 000A0F11-0002\n"))
        XCTAssertEqual(truncated.line, 2)
        XCTAssertEqual(truncated.column, 26)
        XCTAssertEqual(truncated.kind, .syntax(expected: "8 hex digits for EBX, but the line ends"))
        let nonHex = try XCTUnwrap(error("CPUID 00000001: 000A0F11-0002080G-7ED8320B-178BFBFF\n"))
        XCTAssertEqual(nonHex.column, 33)
        XCTAssertEqual(nonHex.kind, .syntax(expected: "a hex digit in EBX"))
        let noRegisters = try XCTUnwrap(error("CPUID 00000001:\n"))
        XCTAssertEqual(noRegisters.kind, .syntax(expected: "the register values after the index, but the line ends"))
        let badGap = try XCTUnwrap(error("CPUID 00000001: 000A0F11+00020800-7ED8320B-178BFBFF\n"))
        XCTAssertEqual(badGap.kind, .syntax(expected: "`-` or a blank between EAX and EBX"))
        XCTAssertEqual(error("CPUID 000000010: 00000001-68747541-444D4163-69746E65\n")?.kind,
                       .syntax(expected: "exactly 8 hex digits for the index"))
    }

    func testADamagedMSRLineIsAnError() throws {
        let base = "CPUID 00000000: 00000001-68747541-444D4163-69746E65\n"
        let short = try XCTUnwrap(error(base + "MSR 0000010A: 0000-0000-0C0A\n"))
        XCTAssertEqual(short.line, 2)
        XCTAssertEqual(short.kind, .syntax(expected: "16 hex digits in the MSR value, found 12"))
        XCTAssertEqual(error(base + "MSR 0000010A: < BROKEN >\n")?.kind, .syntax(expected: "`FAILED`"))
        XCTAssertEqual(error(base + "MSR 0000010A: 0000-0000-0C0A-0CEB\nMSR 0000010A: 0000-0000-0C0A-0CEC\n")?.kind,
                       .duplicateMSR(0x10A, cpu: 0, firstLine: 2))
        XCTAssertNil(error(base + "MSR 0000010A: 0000-0000-0C0A-0CEB\nMSR 0000010A: 0000-0000-0C0A-0CEB\n"), "an identical repeat is fine")
        XCTAssertNil(error(base + "MSR Registers : 12 listed\n"), "a line starting with MSR that is no register line is information")
        XCTAssertEqual(try parse(base + "MSR 0000010A: 00000000-0C0A0CEB\nMSR 0000010B: 0000 0000 0000 0001 [note]\n").first.msrs,
                       [MSR(0x10A, .value(0x0C0A_0CEB)), MSR(0x10B, .value(1))], "other groupings of the 16 digits")
    }

    func testConflictsWithExplicitSubleavesAndBetweenStretchesOfOneCPU() throws {
        let conflict = try XCTUnwrap(error("""
            CPUID 00000004: 04000121-01C0003F-0000003F-00000000 [SL 00]
            CPUID 00000004: 04000122-01C0003F-0000003F-00000000 [SL 00]
            """))
        XCTAssertEqual(conflict.kind, .duplicateEntry(LeafKey(4, 0), cpu: 0, firstLine: 1))
        let later = try XCTUnwrap(error("""
            ------[ MSR Registers / Logical CPU #0 ]------
            MSR 0000010A: 0000-0000-0000-0001
            ------[ CPUID Registers / Logical CPU #0 ]------
            CPUID 00000000: 00000001-68747541-444D4163-69746E65
            MSR 0000010A: 0000-0000-0000-0002
            """))
        XCTAssertEqual(later.kind, .duplicateMSR(0x10A, cpu: 0, firstLine: 1), "named by the line where that CPU first began")
        XCTAssertEqual(later.line, 5)
        let repeated = "CPU#001 AffMask: 0x2\nCPUID 00000000: 00000001-68747541-444D4163-69746E65\nCPU#001 AffMask: 0x2\n"
        XCTAssertEqual(try parse(repeated + "MSR 0000010A: 0000-0000-0000-0001\n").cpus.map(\.number), [1],
                       "a repeated header merges into the CPU's first section")
        XCTAssertEqual(error(repeated + "CPUID 00000000: 00000002-68747541-444D4163-69746E65\n")?.kind,
                       .duplicateEntry(LeafKey(0), cpu: 1, firstLine: 1), "but may not contradict it")
    }

    func testAReportWithoutAnyRegisterLineSaysSo() throws {
        let none = try XCTUnwrap(error("\n------[ Versions ]------\nProgram Version : AIDA64\n"))
        XCTAssertEqual(none.line, 2)
        XCTAssertEqual(none.message, "expected an AIDA64 register line (`CPUID xxxxxxxx: EAX-EBX-ECX-EDX` or `MSR xxxxxxxx: ...`) somewhere in the report; none of its 2 non-blank lines is one")
        XCTAssertEqual(error("CPUID Manufacturer : GenuineIntel\n")?.line, 1)
        XCTAssertEqual(error("------[ Logical CPU #4 ]------\n")?.line, 1, "a header without data")
    }

    func testControlBytesInInformationalLinesAreBinary() throws {
        guard case .binary(byte: 0)? = error("CPUID 00000000: 00000001-68747541-444D4163-69746E65\nBanner \u{0}\n")?.kind else {
            return XCTFail("a NUL byte in a skipped line means binary data")
        }
    }
}
