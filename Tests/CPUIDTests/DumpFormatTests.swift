import CPUID
import XCTest

/// Each reader on a small fixture of its format, format detection, and the writers' exact text.
final class DumpFormatTests: XCTestCase {
    private func read(_ name: String, as format: DumpFormat? = nil) throws -> Dump {
        try DumpReader.read(path: FixturePaths.fixture(name), format: format)
    }

    func testCPUIDRawFixtureHasBothCPUsAndRendersBackByteForByte() throws {
        let path = FixturePaths.fixture("epyc-2cpu.cpuid-r.txt")
        let dump = try read("epyc-2cpu.cpuid-r.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1])
        XCTAssertEqual(dump.first.vendor, "AuthenticAMD")
        XCTAssertEqual(dump.origin, .file(path: path, format: .cpuidRaw))
        let original = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(try DumpWriter.render(dump, as: .cpuidRaw), original)
    }

    func testAIDAHeadersSubleafTagsAndUntaggedSubleaves() throws {
        let dump = try read("aida-two-cpus.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1])
        let cpu0 = try XCTUnwrap(dump.cpu(0))
        XCTAssertEqual(cpu0.subleaves(of: 4).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(cpu0.value(0xD, 0, .ebx), 0x340)
        XCTAssertEqual(cpu0.signature.model, 0x3a)
        let cpu1 = try XCTUnwrap(dump.cpu(1))
        XCTAssertEqual(cpu1.subleaves(of: 4).map(\.subleaf), [0, 1], "untagged repeats of an indexed leaf are its next subleaves")
        XCTAssertEqual(cpu1.value(4, 1, .eax), 0x1C00_4122)
    }

    func testAIDATabFormKeepsItsCPUNumbers() throws {
        let dump = try read("aida-tab-form.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [1, 2])
        XCTAssertEqual(dump.cpu(2)?.value(1, 0, .ebx), 0x0103_0800)
        XCTAssertEqual(dump.first.maxExtendedLeaf, 0x8000_001B)
    }

    func testAffinityMaskNamesTheCPUAndTheTrailerEndsTheDump() throws {
        let dump = try read("aida-affmask.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 1], "both say CPU#000; the masks 0x1 and 0x2 name CPUs 0 and 1")
        XCTAssertEqual(dump.cpu(1)?.value(1, 0, .ebx), 0x0110_0800)
    }

    func testFullAIDAReportKeepsOnlyTheCPUIDSections() throws {
        let dump = try read("aida-full-report.txt")
        XCTAssertEqual(dump.cpus.map(\.number), [0, 3], "a CPU header after another section starts CPUID data again")
        XCTAssertEqual(dump.first.keys, [LeafKey(0), LeafKey(1)])
        XCTAssertEqual(dump.first.msrs, [MSR(0x1B, .value(0xFEE0_0900))], "an MSR section without a number is the last section's CPU")
        XCTAssertThrowsError(try DumpReader.parse("------[ CPUID Registers / Logical CPU ]------\n", name: "x")) { error in
            XCTAssertEqual((error as? DumpError)?.line, 1, "a header without its number and no data: nothing to read")
        }
    }

    func testLibcpuidPaddingBeyondTheHighestLeavesIsDropped() throws {
        let dump = try read("libcpuid-padding.txt")
        let s = dump.first
        XCTAssertEqual(s.keys, [LeafKey(0), LeafKey(1), LeafKey(2), LeafKey(3),
                                LeafKey(4, 0), LeafKey(4, 1), LeafKey(4, 2),
                                LeafKey(0x8000_0000), LeafKey(0x8000_0001), LeafKey(0x8000_0002)],
                       "basic_cpuid[5,6] lie above the highest basic leaf 4, ext_cpuid[3] above 0x80000002, "
                       + "intel_fn4[3] after the type-0 terminator, and leaf 0xB above the highest basic leaf")
        XCTAssertEqual(s.value(4, 1, .eax), 0x1c00_4122)
    }

    func testLibvirtReadsCPUIDRowsAndSkipsMSRs() throws {
        let dump = try read("libvirt-small.xml")
        XCTAssertEqual(dump.cpus.count, 1)
        let s = dump.first
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.value(0xD, 1, .eax), 1)
        XCTAssertEqual(s.signature.model, 0x3f)
    }

    func testJSONAcceptsHexStringsAndIntegers() throws {
        let dump = try read("json-small.json")
        XCTAssertEqual(dump.cpus.map(\.number), [3])
        let s = dump.first
        XCTAssertEqual(s.value(1, 0, .eax), 0x0082_0F11)
        XCTAssertEqual(s.entry(7)?.significantIndex, true)
        XCTAssertEqual(s.entry(1)?.significantIndex, false)
    }

    func testWindowsLineEndingsAndMissingFinalNewline() throws {
        let text = "CPU 2:\r\n   0x00000000 0x00: eax=0x00000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\r\n"
            + "   0x00000001 0x00: eax=0x00a10f11 ebx=0x00020800 ecx=0xfffa3203 edx=0x178bfbff"
        let dump = try DumpReader.parse(text, name: "crlf")
        XCTAssertEqual(dump.cpus.map(\.number), [2])
        XCTAssertEqual(dump.first.signature.family, 0x19)
        let aida = try DumpReader.parse("CPUID 00000000: 00000001-68747541-444D4163-69746E65 [AuthenticAMD]\r\n", name: "crlf")
        XCTAssertEqual(aida.first.vendor, "AuthenticAMD")
    }

    func testOlderCpuidLinesWithoutSubleafColumn() throws {
        let dump = try DumpReader.parse("CPU 0:\n   0x00000000: eax=0x00000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n", name: "old")
        XCTAssertEqual(dump.first.keys, [LeafKey(0)])
        XCTAssertEqual(dump.first.vendor, "AuthenticAMD")
    }

    func testDetection() {
        XCTAssertEqual(DumpReader.detectFormat("CPU 0:\n   0x00000000 0x00: eax=0x1 ..."), .cpuidRaw)
        XCTAssertEqual(DumpReader.detectFormat("\n\nCPU:\n"), .cpuidRaw)
        XCTAssertEqual(DumpReader.detectFormat("------[ Logical CPU #0 ]------"), .aida)
        XCTAssertEqual(DumpReader.detectFormat("CPUID 00000000: 0-0-0-0"), .aida)
        XCTAssertEqual(DumpReader.detectFormat("CPU#000 AffMask: 0x1"), .aida)
        XCTAssertEqual(DumpReader.detectFormat("basic_cpuid[0]=00000001 0 0 0"), .libcpuid)
        XCTAssertEqual(DumpReader.detectFormat("_________________ Logical CPU #0 _________________"), .libcpuid)
        XCTAssertEqual(DumpReader.detectFormat("<?xml version='1.0'?>"), .libvirt)
        XCTAssertEqual(DumpReader.detectFormat("  {\"cpus\": []}"), .json)
        XCTAssertNil(DumpReader.detectFormat("hello world"))
    }

    func testInputFormatOverridesDetection() throws {
        XCTAssertThrowsError(try DumpReader.parse("CPUID 00000000: 00000001-00000000-00000000-00000000\n",
                                                  name: "x", format: .cpuidRaw)) { error in
            XCTAssertEqual((error as? DumpError)?.line, 1)
        }
    }

    func testWritersSpellEntriesExactly() throws {
        let snapshot = Snapshot([
            CPUIDEntry(leaf: 0, eax: 0xd, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69),
            CPUIDEntry(leaf: 7, subleaf: 0, eax: 0, ebx: 0x281, ecx: 0, edx: 0x9c00_0000),
        ])
        let dump = Dump(snapshot: snapshot, cpu: 0, origin: .model("test"))
        XCTAssertEqual(try DumpWriter.render(dump, as: .cpuidRaw), """
            CPU:
               0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
               0x00000007 0x00: eax=0x00000000 ebx=0x00000281 ecx=0x00000000 edx=0x9c000000

            """)
        XCTAssertEqual(try DumpWriter.render(dump, as: .aida), """
            ------[ CPUID Registers / Logical CPU #0 ]------
            CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69
            CPUID 00000007: 00000000-00000281-00000000-9C000000 [SL 00]


            """)
        XCTAssertEqual(try DumpWriter.render(dump, as: .libvirt), """
            <!-- GenuineIntel -->
            <cpudata arch='x86'>
              <cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x0000000d' ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'/>
              <cpuid eax_in='0x00000007' ecx_in='0x00' eax='0x00000000' ebx='0x00000281' ecx='0x00000000' edx='0x9c000000'/>
            </cpudata>

            """)
        let json = try DumpWriter.render(dump, as: .json)
        XCTAssertTrue(json.contains(#"{"leaf": "0x00000007", "subleaf": "0x00", "eax": "0x00000000", "ebx": "0x00000281", "ecx": "0x00000000", "edx": "0x9c000000", "indexed": true}"#), json)
    }

    func testLibvirtCannotHoldTwoCPUsAndLibcpuidIsNotWritten() throws {
        let dump = try read("aida-two-cpus.txt")
        XCTAssertThrowsError(try DumpWriter.render(dump, as: .libvirt)) { error in
            guard case .cannotHold(.libvirt, _) = error as? DumpWriteError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try DumpWriter.render(dump, as: .libcpuid)) { error in
            XCTAssertEqual(error as? DumpWriteError, .notWritable(.libcpuid))
        }
    }

    /// Read → write → read is the identity for every pair of formats that can carry the data.
    func testRoundTripsBetweenEveryFormatPair() throws {
        let sources = ["epyc-2cpu.cpuid-r.txt", "aida-two-cpus.txt", "aida-tab-form.txt", "libcpuid-padding.txt",
                       "libvirt-small.xml", "json-small.json"]
        for name in sources {
            let dump = try read(name)
            for first in DumpFormat.writable {
                for second in DumpFormat.writable {
                    let limited = (first == .libvirt || second == .libvirt || first == .cpuidRaw || second == .cpuidRaw)
                        && dump.cpus.count == 1
                    // libvirt holds one CPU and a lone CPU in cpuid -r text is `CPU:`: both keep the data, not the number.
                    var expected = dump.cpus
                    if first == .libvirt || second == .libvirt {
                        guard dump.cpus.count == 1 else { continue }
                    }
                    if limited { expected = [LogicalCPU(number: 0, snapshot: dump.first)] }
                    if first == .cpuidRaw || second == .cpuidRaw {
                        // cpuid -r text has no place for MSRs: the CPUID data must survive, the MSRs cannot.
                        for i in expected.indices { expected[i].snapshot.removeMSRs() }
                    }
                    let once = try DumpReader.parse(DumpWriter.render(dump, as: first), name: "once.\(first)")
                    let twice = try DumpReader.parse(DumpWriter.render(once, as: second), name: "twice.\(second)")
                    XCTAssertEqual(twice.cpus, expected, "\(name): \(first) then \(second)")
                }
            }
        }
    }

    func testAtomicWriteReplacesTheFileWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-formats-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.json").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let dump = try read("json-small.json")
        try DumpWriter.write(dump, as: .json, to: path)
        XCTAssertEqual(try DumpReader.read(path: path).cpus, dump.cpus)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.json"], "no temporary file left")
        XCTAssertThrowsError(try DumpWriter.write(dump, as: .json, to: folder.appendingPathComponent("missing/x.json").path)) { error in
            guard case .io = error as? DumpWriteError else { return XCTFail("\(error)") }
        }
    }
}
