import Foundation
import XCTest
import X86Features

final class FeatureMSRBitsTests: XCTestCase {
    func testUserSpellingsResolveToOneBit() throws {
        for spelling in ["arch_capabilities.mds_no", "ARCH_CAPABILITIES.MDS_NO", "mds_no", "mds-no", "0x10a.5", "MDS_NO"] {
            let bit = try XCTUnwrap(FeatureMSRBits.lookup(spelling), spelling)
            XCTAssertEqual(bit.msr, 0x10A, spelling)
            XCTAssertEqual(bit.low, 5, spelling)
        }
        XCTAssertNil(FeatureMSRBits.lookup("arch_capabilities.no_such_bit"))
        XCTAssertNil(FeatureMSRBits.lookup("0x10a.22"), "bit 22 has no name anywhere")
        XCTAssertEqual(FeatureMSRBits.lookup("full-width-write")?.label, "PERF_CAPABILITIES.FW_WRITES")
    }

    func testCitationAndFieldValues() throws {
        let format = try XCTUnwrap(FeatureMSRBits.bit(0x345, named: "PEBS_FORMAT"))
        XCTAssertEqual(format.citation, "MSR 0x345 bits 11:8")
        XCTAssertEqual(format.value(in: 0x0000_4400), 4)
        let mdsNo = try XCTUnwrap(FeatureMSRBits.bit(0x10A, named: "mds_no"))
        XCTAssertEqual(mdsNo.description, "ARCH_CAPABILITIES.MDS_NO (MSR 0x10A bit 5)")
        XCTAssertTrue(mdsNo.isSet(in: 0x69))
        XCTAssertFalse(mdsNo.isSet(in: 0x49))
    }

    func testReleasesNameWhatTheirHeaderNames() {
        XCTAssertNil(FeatureMSRBits.bits(of: 0x10A, in: KernelVersion(6, 1)).first { $0.name == "GDS_NO" })
        XCTAssertNotNil(FeatureMSRBits.bits(of: 0x10A, in: KernelVersion(6, 5, 3)).first { $0.name == "GDS_NO" })
        XCTAssertNil(FeatureMSRBits.bits(of: 0x10A, in: KernelVersion(5, 15)).first { $0.name == "RSBA" })
    }

    /// Every `#define ARCH_CAP_*`, `TSX_CTRL_*`, `MSR_IA32_CORE_CAPS_*_BIT` and `PERF_CAP_*` bit of each carried
    /// release's msr-index.h is a row named from that release on, and no row claims a name the header lacks.
    func testRowsAgreeWithEveryReleaseHeader() throws {
        let root = KernelTablesTests.kernelFiles
        let releases = (try? FileManager.default.contentsOfDirectory(atPath: root.path))?.filter { $0.hasPrefix("v") } ?? []
        let headers = releases.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/msr-index.h").path) }
        guard !headers.isEmpty else { throw XCTSkip("no msr-index.h under \(root.path) (set VCPUID_KERNEL_FILES)") }
        for release in headers {
            let version = try XCTUnwrap(KernelVersion(String(release.dropFirst())))
            let text = try String(contentsOf: root.appendingPathComponent("\(release)/msr-index.h"), encoding: .utf8)
            var fromHeader: Set<String> = []
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count >= 3, words[0] == "#define" else { continue }
                let macro = String(words[1]), value = String(words[2])
                let prefixes = [("ARCH_CAP_", "ARCH_CAPABILITIES"), ("TSX_CTRL_", "TSX_CTRL")]
                for (prefix, register) in prefixes where macro.hasPrefix(prefix) {
                    if value.hasPrefix("BIT") { fromHeader.insert("\(register).\(macro.dropFirst(prefix.count))") }
                }
                if macro.hasPrefix("MSR_IA32_CORE_CAPS_"), macro.hasSuffix("_BIT") {
                    fromHeader.insert("CORE_CAPS.\(macro.dropFirst("MSR_IA32_CORE_CAPS_".count).dropLast(4))")
                }
                if macro.hasPrefix("MSR_PLATFORM_INFO_"), macro.hasSuffix("_BIT") {
                    fromHeader.insert("PLATFORM_INFO.\(macro.dropFirst("MSR_PLATFORM_INFO_".count).dropLast(4))")
                }
            }
            let named = Set(FeatureMSRBits.all.filter { $0.isNamed(by: version) && $0.register != "PERF_CAPABILITIES" }.map(\.label))
            XCTAssertEqual(named, fromHeader, "Linux \(release): catalogue vs msr-index.h")
        }
    }
}
