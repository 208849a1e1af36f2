import CPUID
import Foundation
import XCTest
@testable import X86Features

/// Reads `cpuid -r` text (`CPU n:` headers, `0xLLLLLLLL 0xSS: eax=... ebx=... ecx=... edx=...` lines)
/// into snapshots, for fixtures; the product's readers live in the formats module.
enum RawFixture {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/decoders")
    }

    static func snapshot(_ name: String) throws -> Snapshot {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return try XCTUnwrap(parse(text).first, "fixture \(name) holds no CPU")
    }

    static func parse(_ text: String) -> [Snapshot] {
        var cpus: [[CPUIDEntry]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("CPU") {
                cpus.append([])
                continue
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "=" })
            guard words.count == 10, let leaf = UInt32(words[0].dropFirst(2), radix: 16),
                  let subleaf = UInt32(words[1].dropFirst(2), radix: 16),
                  let eax = UInt32(words[3].dropFirst(2), radix: 16), let ebx = UInt32(words[5].dropFirst(2), radix: 16),
                  let ecx = UInt32(words[7].dropFirst(2), radix: 16), let edx = UInt32(words[9].dropFirst(2), radix: 16)
            else { continue }
            if cpus.isEmpty { cpus.append([]) }
            cpus[cpus.count - 1].append(CPUIDEntry(leaf: leaf, subleaf: subleaf, eax: eax, ebx: ebx, ecx: ecx, edx: edx))
        }
        return cpus.map { Snapshot($0) }
    }
}

extension [DecodedField] {
    /// The one field with this name in this leaf and subleaf.
    func named(_ name: String, leaf: UInt32, subleaf: UInt32 = 0) -> DecodedField? {
        first { $0.name == name && $0.field.leaf == leaf && $0.field.subleaf == subleaf }
    }

    func meaning(_ name: String, leaf: UInt32, subleaf: UInt32 = 0) -> String? {
        named(name, leaf: leaf, subleaf: subleaf)?.meaning
    }
}

final class DecoderTests: XCTestCase {
    func testAMDIdentityAndLeafOne() throws {
        let fields = LeafDecoders.decode(try RawFixture.snapshot("amd-epyc-genoa-kvm.raw"))
        XCTAssertEqual(fields.meaning("vendor_id", leaf: 0), "AuthenticAMD")
        XCTAssertEqual(fields.meaning("max_basic_leaf", leaf: 0), "0x1c")
        XCTAssertEqual(fields.meaning("base_family", leaf: 1), "0xf")
        XCTAssertEqual(fields.meaning("extended_family", leaf: 1), "0xa")
        XCTAssertEqual(fields.meaning("clflush_line_size", leaf: 1), "64 bytes")
        // AMD's EBX[23:16] is a count of logical processors, Intel's a count of IDs.
        XCTAssertEqual(fields.meaning("logical_processor_count", leaf: 1), "2")
        XCTAssertNil(fields.named("max_logical_processor_ids", leaf: 1))
        XCTAssertNil(fields.named("processor_type", leaf: 1))
        XCTAssertEqual(fields.meaning("hypervisor", leaf: 1), "yes")
        XCTAssertEqual(fields.meaning("monitor", leaf: 1), "no")
        XCTAssertEqual(fields.meaning("hypervisor_id", leaf: 0x4000_0000), "KVMKVMKVM")
        XCTAssertEqual(fields.meaning("brand_string", leaf: 0x8000_0002), "AMD EPYC")
    }

    func testAMDStructuredFeaturesAndExtendedState() throws {
        let fields = LeafDecoders.decode(try RawFixture.snapshot("amd-epyc-genoa-kvm.raw"))
        XCTAssertEqual(fields.meaning("avx512f", leaf: 7), "yes")
        XCTAssertEqual(fields.meaning("shstk", leaf: 7), "yes")
        XCTAssertEqual(fields.meaning("sgx", leaf: 7), "no")
        XCTAssertEqual(fields.meaning("avx512_bf16", leaf: 7, subleaf: 1), "yes")
        XCTAssertEqual(fields.meaning("xcr0_avx", leaf: 0xD), "yes")
        XCTAssertEqual(fields.meaning("xcr0_pkru", leaf: 0xD), "no")
        XCTAssertEqual(fields.meaning("xsave_size_max", leaf: 0xD), "2432 bytes")
        XCTAssertEqual(fields.meaning("xss_cet_u", leaf: 0xD, subleaf: 1), "yes")
        XCTAssertEqual(fields.meaning("avx_size", leaf: 0xD, subleaf: 2), "256 bytes")
        XCTAssertEqual(fields.meaning("avx_offset", leaf: 0xD, subleaf: 2), "576 bytes")
        XCTAssertEqual(fields.meaning("hi16_zmm_size", leaf: 0xD, subleaf: 7), "1 KiB")
        XCTAssertEqual(fields.meaning("cet_u_supervisor", leaf: 0xD, subleaf: 11), "yes")
    }

    func testAMDExtendedLeaves() throws {
        let fields = LeafDecoders.decode(try RawFixture.snapshot("amd-epyc-genoa-kvm.raw"))
        XCTAssertEqual(fields.meaning("svm", leaf: 0x8000_0001), "no")
        XCTAssertEqual(fields.meaning("lm", leaf: 0x8000_0001), "yes")
        XCTAssertEqual(fields.meaning("mmxext", leaf: 0x8000_0001), "yes")
        XCTAssertEqual(fields.meaning("physical_address_bits", leaf: 0x8000_0008), "48 bits")
        XCTAssertEqual(fields.meaning("guest_physical_address_bits", leaf: 0x8000_0008), "48 bits")
        XCTAssertEqual(fields.meaning("thread_count", leaf: 0x8000_0008), "2")
        XCTAssertEqual(fields.meaning("amd_psfd", leaf: 0x8000_0008), "yes")
        XCTAssertEqual(fields.meaning("invariant_tsc", leaf: 0x8000_0007), "yes")
        XCTAssertEqual(fields.meaning("l1d_size", leaf: 0x8000_0005), "32 KiB")
        XCTAssertEqual(fields.meaning("l1d_ways", leaf: 0x8000_0005), "8-way")
        XCTAssertEqual(fields.meaning("l1_itlb_4k_ways", leaf: 0x8000_0005), "fully associative")
        XCTAssertEqual(fields.meaning("l2_size", leaf: 0x8000_0006), "1 MiB")
        XCTAssertEqual(fields.meaning("l2_ways", leaf: 0x8000_0006), "8 to 15-way (6)")
        XCTAssertEqual(fields.meaning("l3_size", leaf: 0x8000_0006), "320 MiB")
        XCTAssertEqual(fields.meaning("cache_type", leaf: 0x8000_001D, subleaf: 3), "unified cache (3)")
        XCTAssertEqual(fields.meaning("sets", leaf: 0x8000_001D, subleaf: 3), "32768")
        XCTAssertEqual(fields.meaning("lfence_rdtsc", leaf: 0x8000_0021), "yes")
        XCTAssertEqual(fields.meaning("tsa_sq_no", leaf: 0x8000_0021), "yes")
        // 0x80000021 ECX[7] is set on this machine and named nowhere: it must show, not vanish.
        XCTAssertTrue(fields.contains { $0.name == "unknown" && $0.field == CPUIDField(0x8000_0021, 0, .ecx, bit: 7) })
    }

    func testIntelLeaves() throws {
        let fields = LeafDecoders.decode(try RawFixture.snapshot("intel-core-i3-1220p.raw"))
        XCTAssertEqual(fields.meaning("max_logical_processor_ids", leaf: 1), "64")
        XCTAssertEqual(fields.meaning("processor_type", leaf: 1), "original OEM processor (0)")
        XCTAssertNil(fields.named("svm", leaf: 0x8000_0001), "Intel's 0x80000001 has no SVM bit")
        XCTAssertEqual(fields.meaning("lm", leaf: 0x8000_0001), "yes")
        XCTAssertEqual(fields.meaning("hybrid_cpu", leaf: 7), "yes")
        XCTAssertEqual(fields.meaning("avx_vnni", leaf: 7, subleaf: 1), "yes")
        XCTAssertEqual(fields.meaning("line_size", leaf: 4, subleaf: 0), "64 bytes")
        XCTAssertEqual(fields.meaning("ways", leaf: 4, subleaf: 0), "12")
        XCTAssertEqual(fields.meaning("cache_level", leaf: 4, subleaf: 3), "3")
        XCTAssertEqual(fields.meaning("level_type", leaf: 0x1F, subleaf: 1), "core (2)")
        XCTAssertEqual(fields.meaning("x2apic_id_shift", leaf: 0xB, subleaf: 1), "6")
        XCTAssertEqual(fields.meaning("core_type", leaf: 0x1A), "Intel Core (performance) (64)")
        XCTAssertEqual(fields.meaning("max_frequency", leaf: 0x16), "4400 MHz")
        XCTAssertEqual(fields.meaning("ptwrite", leaf: 0x14), "yes")
        XCTAssertEqual(fields.meaning("address_ranges", leaf: 0x14, subleaf: 1), "2")
        XCTAssertEqual(fields.meaning("pt_supervisor", leaf: 0xD, subleaf: 8), "yes")
        XCTAssertEqual(fields.meaning("pkru_offset", leaf: 0xD, subleaf: 9), "2688 bytes")
        XCTAssertEqual(fields.meaning("l2_size", leaf: 0x8000_0006), "1280 KiB")
        XCTAssertEqual(fields.meaning("l2_ways", leaf: 0x8000_0006), "see leaf 4 (7)")
        XCTAssertEqual(fields.meaning("physical_address_bits", leaf: 0x8000_0008), "39 bits")
        XCTAssertEqual(fields.meaning("brand_string", leaf: 0x8000_0002), "12th Gen Intel(R) Core(TM) i3-1220P")
    }

    func testFieldsComeInLeafAndSubleafOrderWithoutDuplicates() throws {
        for name in ["amd-epyc-genoa-kvm.raw", "intel-core-i3-1220p.raw"] {
            let fields = LeafDecoders.decode(try RawFixture.snapshot(name))
            XCTAssertGreaterThan(fields.count, 300, name)
            let keys = fields.map { LeafKey($0.field.leaf, $0.field.subleaf) }
            XCTAssertEqual(keys, keys.sorted(), "\(name): fields out of leaf/subleaf order")
            var seen = Set<String>()
            for field in fields where field.name != "unknown" {
                let key = "\(field.field.leaf).\(field.field.subleaf).\(field.name)"
                XCTAssertTrue(seen.insert(key).inserted, "\(name): \(key) decoded twice")
            }
        }
    }

    func testOneLeafAndLeavesBeyondTheMaximum() throws {
        let snapshot = try RawFixture.snapshot("intel-core-i3-1220p.raw")
        let only = LeafDecoders.decode(snapshot, leaf: 0x8000_0003)
        XCTAssertTrue(only.isEmpty, "the brand string is reported on 0x80000002")
        let seven = LeafDecoders.decode(snapshot, leaf: 7)
        XCTAssertFalse(seven.isEmpty)
        XCTAssertTrue(seven.allSatisfy { $0.field.leaf == 7 })
        // Entries above leaf 0's maximum are not answers; nothing decodes them.
        var capped = snapshot
        capped.set(0, 0, .eax, to: 6)
        let fields = LeafDecoders.decode(capped)
        XCTAssertTrue(fields.allSatisfy { $0.field.leaf <= 6 || $0.field.leaf >= 0x8000_0000 })
        XCTAssertNotNil(fields.named("arat", leaf: 6))
    }

    func testTopologyStopsAtTheInvalidLevel() {
        var snapshot = Snapshot([
            CPUIDEntry(leaf: 0, eax: 0xB, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69),
            CPUIDEntry(leaf: 0xB, subleaf: 0, eax: 1, ebx: 2, ecx: 0x100, edx: 5),
            CPUIDEntry(leaf: 0xB, subleaf: 1, eax: 4, ebx: 8, ecx: 0x201, edx: 5),
            CPUIDEntry(leaf: 0xB, subleaf: 2, eax: 0, ebx: 0, ecx: 0x002, edx: 5),
        ])
        snapshot.set(CPUIDEntry(leaf: 0xB, subleaf: 3, eax: 0, ebx: 0, ecx: 0x003, edx: 5))
        let fields = LeafDecoders.decode(snapshot, leaf: 0xB)
        XCTAssertEqual(Set(fields.map(\.field.subleaf)), [0, 1, 2])
        XCTAssertEqual(fields.meaning("level_type", leaf: 0xB, subleaf: 0), "SMT (1)")
        XCTAssertEqual(fields.meaning("level_type", leaf: 0xB, subleaf: 2), "invalid (0)")
        XCTAssertEqual(fields.meaning("logical_processors", leaf: 0xB, subleaf: 1), "8")
    }

    func testReadingsRender() {
        XCTAssertEqual(FieldReading.flag.describe(1), "yes")
        XCTAssertEqual(FieldReading.flag.describe(0), "no")
        XCTAssertEqual(FieldReading.count.describe(1_234_567), "1234567")
        XCTAssertEqual(FieldReading.count.describe(0), "0")
        XCTAssertEqual(FieldReading.countPlusOne.describe(0xffff_ffff), "4294967296")
        XCTAssertEqual(FieldReading.hex.describe(0), "0x0")
        XCTAssertEqual(FieldReading.hex.describe(0xa10f11), "0xa10f11")
        XCTAssertEqual(FieldReading.bytes(scale: 1).describe(1), "1 byte")
        XCTAssertEqual(FieldReading.bytes(scale: 1024).describe(1280), "1280 KiB")
        XCTAssertEqual(FieldReading.bytes(scale: 512 * 1024).describe(2), "1 MiB")
        XCTAssertEqual(FieldReading.log2Bytes.describe(36), "2^36 bytes (64 GiB)")
        XCTAssertEqual(FieldReading.ways.describe(0xff), "fully associative")
        XCTAssertEqual(FieldReading.choice(Choices(["a", nil])).describe(1), "reserved (1)")
        XCTAssertEqual(FieldReading.choice(Choices(["a", nil])).describe(9), "reserved (9)")
        var field = DecodedField(field: CPUIDField(0x12, 0, .eax, bit: 11), name: "EDECCSSA", value: 1, meaning: "supported")
        XCTAssertEqual(field.meaning, "supported")
        field.meaning = "yes"
        XCTAssertEqual(field.reading, .text("yes"))
    }

    func testVendorKinds() {
        func vendor(_ identification: String) -> CPUVendor {
            let bytes = Array(identification.utf8)
            func word(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
            return CPUVendor(Snapshot([CPUIDEntry(leaf: 0, eax: 1, ebx: word(0), ecx: word(8), edx: word(4))]))
        }
        for (identification, expected) in CPUVendor.identifications {
            XCTAssertEqual(vendor(identification), expected, identification)
            XCTAssertEqual(CPUVendor(identification: identification), expected)
        }
        XCTAssertTrue(vendor("HygonGenuine").followsAMD)
        XCTAssertTrue(vendor("AMDisbetter!").followsAMD)
        XCTAssertFalse(vendor("  Shanghai  ").followsAMD)
        XCTAssertEqual(vendor("GenuineIotel"), .other)
        XCTAssertEqual(CPUVendor(Snapshot()), .other)
    }

    func testBatchRenderingMatchesOneCPUAtATime() throws {
        let snapshots = [try RawFixture.snapshot("amd-epyc-genoa-kvm.raw"), try RawFixture.snapshot("intel-core-i3-1220p.raw")]
        let cpus = (0..<150).map { LogicalCPU(number: $0, snapshot: snapshots[$0 % 2]) }
        for style in [DecodeBatchRenderer.Style.text, .json] {
            var batched: [UInt8] = []
            DecodeBatchRenderer.render(cpus, leaf: nil, style: style) { batched += $0 }
            var expected = TextOutput()
            if style == .json { expected.append("{\"cpus\": [\n") }
            for cpu in cpus {
                if cpu.number > 0 { expected.append(style == .json ? ",\n" : "\n") }
                if style == .json {
                    DecodeRenderer.appendJSON(cpu: cpu.number, snapshot: cpu.snapshot, into: &expected)
                } else {
                    DecodeRenderer.appendText(cpu: cpu.number, snapshot: cpu.snapshot, into: &expected)
                }
            }
            if style == .json { expected.append("\n]}\n") }
            XCTAssertEqual(batched, Array(expected.bytes), "\(style)")
        }
    }

    func testVIAReportsL1CachesInAMDsLayout() {
        // VIA C7-M (libcpuid corpus, via/esther): CentaurHauls, 0x80000005 ECX = 0x40040140.
        let snapshot = Snapshot([
            CPUIDEntry(leaf: 0, eax: 1, ebx: 0x746e_6543, ecx: 0x736c_7561, edx: 0x4872_7561),
            CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0006, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0005, eax: 0, ebx: 0x0880_0880, ecx: 0x4004_0140, edx: 0x4004_0140),
        ])
        let fields = LeafDecoders.decode(snapshot)
        XCTAssertEqual(fields.meaning("l1d_size", leaf: 0x8000_0005), "64 KiB")
        XCTAssertEqual(fields.meaning("l1d_ways", leaf: 0x8000_0005), "4-way")
        XCTAssertEqual(fields.meaning("l1d_line_size", leaf: 0x8000_0005), "64 bytes")
        XCTAssertEqual(fields.meaning("l1_dtlb_4k_entries", leaf: 0x8000_0005), "128")
        XCTAssertFalse(fields.contains { $0.name == "unknown" })
    }

    /// The table path of the text renderer must print exactly what the decoded fields say.
    func testTablePathPrintsWhatTheFieldsSay() throws {
        var snapshots = [try RawFixture.snapshot("amd-epyc-genoa-kvm.raw"), try RawFixture.snapshot("intel-core-i3-1220p.raw")]
        // Unknown bits, a short table (leaf 0x1A) and subleaves past the end of leaves 4 and 7.
        var odd = snapshots[1]
        odd.set(0x1A, 0, .ebx, to: 0x8000_0001)
        odd.set(CPUIDEntry(leaf: 4, subleaf: 9, eax: 0x121, ebx: 0, ecx: 0, edx: 0))
        odd.set(CPUIDEntry(leaf: 7, subleaf: 5, eax: 1, ebx: 0, ecx: 0, edx: 0))
        snapshots.append(odd)
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/corpus/libcpuid").standardizedFileURL
        if let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
            for case let file as URL in walker where file.pathExtension == "test" && !file.path.contains("/arm/") {
                if let dump = try? DumpReader.read(path: file.path) { snapshots.append(dump.first) }
            }
        }
        for (index, snapshot) in snapshots.enumerated() {
            for leaf in [nil, UInt32(7), 0x1A] as [UInt32?] {
                var fast = TextOutput()
                var reference = TextOutput()
                DecodeRenderer.appendText(cpu: index, snapshot: snapshot, leaf: leaf, into: &fast)
                DecodeRenderer.appendTextFromFields(cpu: index, snapshot: snapshot, leaf: leaf, into: &reference)
                XCTAssertEqual(fast.string, reference.string, "snapshot \(index), leaf \(String(describing: leaf))")
            }
        }
        XCTAssertGreaterThanOrEqual(snapshots.count, 3)
    }
}
