import CPUID
import X86Features
import XCTest

final class SGXEnumerationTests: XCTestCase {
    let sgxHost = Snapshot([
        CPUIDEntry(leaf: 0, eax: 0x20, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69),
        CPUIDEntry(leaf: 7, eax: 0, ebx: 1 << 2, ecx: 1 << 30, edx: 0),
        CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0xce3, ebx: 0x3, ecx: 0, edx: 0x381f),
        CPUIDEntry(leaf: 0x12, subleaf: 1, eax: 0x4f6, ebx: 0, ecx: 0x2e7, edx: 0x6),
        CPUIDEntry(leaf: 0x12, subleaf: 2, eax: 0x00c0_0001, ebx: 0, ecx: 0x7f00_0001, edx: 0),
        CPUIDEntry(leaf: 0x12, subleaf: 3, eax: 0x0000_1001, ebx: 0x1, ecx: 0x0010_0002, edx: 0x2),
        CPUIDEntry(leaf: 0x12, subleaf: 4, eax: 0, ebx: 0, ecx: 0, edx: 0),
        CPUIDEntry(leaf: 0x12, subleaf: 5, eax: 0x0000_2001, ebx: 0, ecx: 0x0010_0001, edx: 0),
    ])

    func testSubleafZeroCapabilitiesAndSizes() {
        let view = SGXEnumeration(sgxHost)
        XCTAssertTrue(view.isEnumerated)
        XCTAssertTrue(view.launchControl)
        for name in ["SGX1", "SGX2", "ENCLV", "ENCLS-C", "EVERIFYREPORT2", "EUPDATESVN", "EDECCSSA"] {
            XCTAssertTrue(view.hasCapability(name), name)
        }
        XCTAssertEqual(view.unknownCapabilities, 0)
        XCTAssertEqual(view.miscSelect, 3, "EXINFO and CPINFO")
        XCTAssertEqual(view.maxEnclaveSizeNot64Log2, 31)
        XCTAssertEqual(view.maxEnclaveSize64Log2, 56)
        XCTAssertEqual(SGXEnumeration.formatLog2Size(36), "2^36 bytes (64 GiB)")
    }

    func testSubleafOneAttributesAndXFRM() {
        let view = SGXEnumeration(sgxHost)
        XCTAssertEqual(view.attributes, 0x4f6)
        for name in ["DEBUG", "MODE64BIT", "PROVISIONKEY", "EINITTOKENKEY", "CET", "KSS", "AEXNOTIFY"] {
            XCTAssertTrue(view.allowsAttribute(name), name)
        }
        XCTAssertFalse(view.allowsAttribute("INIT"))
        XCTAssertEqual(view.unknownAttributes, 0)
        XCTAssertEqual(view.xfrm, 0x6_0000_02e7)
    }

    func testEPCSectionsStopAtTheFirstInvalidSubleaf() {
        let view = SGXEnumeration(sgxHost)
        XCTAssertEqual(view.epcSections.count, 2, "subleaf 4 is type 0: subleaf 5 is not read")
        XCTAssertEqual(view.epcSections[0].base, 0xc0_0000)
        XCTAssertEqual(view.epcSections[0].size, 0x7f00_0000)
        XCTAssertEqual(view.epcSections[0].property, 1)
        XCTAssertEqual(view.epcSections[1].base, 0x1_0000_1000)
        XCTAssertEqual(view.epcSections[1].size, 0x2_0010_0000)
        XCTAssertEqual(view.epcSections[1].propertyMeaning, "confidentiality protection only")
        XCTAssertEqual(view.totalEPC, 0x7f00_0000 + 0x2_0010_0000)
        XCTAssertEqual(SGXEnumeration.formatBytes(0x7f00_0000), "1.98 GiB")
    }

    func testWithoutSGXLeaf12DoesNotCount() {
        var snapshot = sgxHost
        snapshot.set(7, 0, .ebx, to: 0)
        let view = SGXEnumeration(snapshot)
        XCTAssertFalse(view.isEnumerated)
        XCTAssertFalse(view.edeccssa)
        XCTAssertFalse(view.aexNotifyAttribute)
        XCTAssertEqual(view.capabilities, 0xce3, "the raw value is kept for display")
    }

    /// The corpus files are AIDA64-style dumps followed by a line of dashes and libcpuid's expected results.
    func testLibcpuidCorpusDumpsWithSGXDecode() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid/intel")
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            throw XCTSkip("the libcpuid corpus is not at \(corpus.path)")
        }
        var withSGX1 = 0
        var disabled = 0
        let files = FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".test") } ?? []
        for file in files.sorted() {
            let text = try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8)
            guard text.contains("CPUID 00000012:") else { continue }
            let dumpPart = text.components(separatedBy: "\n").prefix { !$0.hasPrefix("--------------------") || $0.hasPrefix("------[") }
            guard let dump = try? DumpReader.parse(dumpPart.joined(separator: "\n"), name: file) else { continue }
            let view = SGXEnumeration(dump.first)
            guard view.isEnumerated else { continue }
            if view.sgx1 {
                withSGX1 += 1
                XCTAssertGreaterThanOrEqual(view.maxEnclaveSize64Log2, view.maxEnclaveSizeNot64Log2, file)
                XCTAssertFalse(SGXLeafDecoder().decode(dump.first).isEmpty, file)
            } else {
                disabled += 1
                XCTAssertFalse(view.edeccssa, file)
            }
        }
        if withSGX1 + disabled == 0 { throw XCTSkip("no corpus dump enumerates SGX") }
        XCTAssertGreaterThan(withSGX1, 0, "the corpus has SGX1 parts (Skylake, Ice Lake client)")
    }
}
