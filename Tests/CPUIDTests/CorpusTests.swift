import CPUID
import Foundation
import XCTest

/// Every dump in libcpuid's corpus is read, checked against libcpuid's own decoding, and round-tripped.
final class CorpusTests: XCTestCase {
    /// libcpuid's decoded block after the dashes starts: architecture, feature level, purpose, then
    /// family, model, stepping (the base fields) and ext_family, ext_model (the displayed values).
    struct DecodedSignature: Hashable {
        var baseFamily: UInt32, baseModel: UInt32, stepping: UInt32, family: UInt32, model: UInt32
    }

    static func decodedSignatures(_ text: String) -> (architecture: String, signatures: Set<DecodedSignature>) {
        let dashes = String(repeating: "-", count: DumpTrailer.dashCount)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var architecture = ""
        var result: Set<DecodedSignature> = []
        for (i, line) in lines.enumerated() where line == dashes && i + 8 < lines.count {
            architecture = String(lines[i + 1])
            let numbers = lines[(i + 4)...(i + 8)].map { UInt32($0) ?? .max }
            result.insert(DecodedSignature(baseFamily: numbers[0], baseModel: numbers[1], stepping: numbers[2],
                                           family: numbers[3], model: numbers[4]))
        }
        return (architecture, result)
    }

    /// The vendor strings a corpus folder's CPUs may report.
    static let vendorsByFolder: [String: Set<String>] = [
        "amd": ["AuthenticAMD", "AMDisbetter!"],
        "intel": ["GenuineIntel"],
        "hygon": ["HygonGenuine"],
        "via": ["CentaurHauls", "VIA VIA VIA "],
        "zhaoxin": ["  Shanghai  ", "CentaurHauls"],
    ]

    func testEveryCorpusDumpParsesAndAgreesWithLibcpuidsDecoding() throws {
        let files = try FixturePaths.corpusFiles()
        XCTAssertEqual(files.count, 425, "the corpus README promises 425 dumps")
        var parsed = 0
        var rejectedARM = 0
        var cpusChecked = 0
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            let decoded = Self.decodedSignatures(text)
            let components = url.pathComponents
            let folder = components.firstIndex(of: "libcpuid").map { components[$0 + 1] } ?? ""
            let name = url.path
            if decoded.architecture == "ARM" {
                XCTAssertThrowsError(try DumpReader.read(path: name)) { error in
                    guard let error = error as? DumpError, case .notX86 = error.kind else {
                        return XCTFail("\(name): expected a not-x86 error, got \(error)")
                    }
                }
                rejectedARM += 1
                continue
            }
            let dump: Dump
            do {
                dump = try DumpReader.read(path: name)
            } catch {
                XCTFail("\(error)")
                continue
            }
            parsed += 1
            XCTAssertFalse(decoded.signatures.isEmpty, "\(name): no decoded block")
            let vendors = Self.vendorsByFolder[folder]
            XCTAssertNotNil(vendors, "\(name): unexpected folder \(folder)")
            for cpu in dump.cpus {
                let s = cpu.snapshot
                XCTAssertTrue(vendors?.contains(s.vendor) ?? false, "\(name) CPU \(cpu.number): vendor \(s.vendor) in folder \(folder)")
                let sig = s.signature
                let ours = DecodedSignature(baseFamily: sig.baseFamily, baseModel: sig.baseModel, stepping: sig.stepping,
                                            family: sig.family, model: sig.model)
                XCTAssertTrue(decoded.signatures.contains(ours),
                              "\(name) CPU \(cpu.number): signature \(ours) not among libcpuid's \(decoded.signatures)")
                cpusChecked += 1
            }
        }
        XCTAssertEqual(parsed + rejectedARM, files.count)
        XCTAssertEqual(rejectedARM, 6, "six corpus files are ARM register dumps")
        XCTAssertGreaterThan(cpusChecked, 1000)
    }

    func testEveryCorpusDumpRoundTripsThroughEveryWritableFormat() throws {
        for url in try FixturePaths.corpusFiles() {
            guard let dump = try? DumpReader.read(path: url.path) else { continue }
            for format in [DumpFormat.json, .aida] {
                let text = try DumpWriter.render(dump, as: format)
                let again = try DumpReader.parse(text, name: "\(url.lastPathComponent).\(format)")
                XCTAssertEqual(again.cpus, dump.cpus, "\(url.path) via \(format)")
            }
            // cpuid -r keeps CPU numbers except for a lone CPU (`CPU:`), which reads back as CPU 0.
            let raw = try DumpReader.parse(DumpWriter.render(dump, as: .cpuidRaw), name: "raw")
            XCTAssertEqual(raw.cpus.map(\.snapshot), dump.cpus.map(\.snapshot), "\(url.path) via raw")
            let one = Dump(cpus: [LogicalCPU(number: 0, snapshot: dump.first)], origin: dump.origin)
            let xml = try DumpReader.parse(DumpWriter.render(one, as: .libvirt), name: "xml")
            XCTAssertEqual(xml.cpus, one.cpus, "\(url.path) via libvirt")
        }
    }
}
