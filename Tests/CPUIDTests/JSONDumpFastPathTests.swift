import Foundation
import XCTest
@testable import CPUID

/// The fast path reads exactly what DumpWriter writes and must give what the general parser gives; any other
/// layout must fall through to the general parser (and its errors).
final class JSONDumpFastPathTests: XCTestCase {
    private func both(_ text: String) -> (fast: [LogicalCPU]?, general: [LogicalCPU]?) {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            (JSONDumpFastPath.parse(buffer, file: "t.json"), try? JSONDumpReader.parseGeneral(buffer, file: "t.json"))
        }
    }

    func testWrittenDumpsReadAlikeOnBothPaths() throws {
        var dumps: [Dump] = []
        for folder in ["formats", "aida-shapes"] {
            let dir = FixturePaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/\(folder)")
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                if let dump = try? DumpReader.read(path: dir.appendingPathComponent(name).path) { dumps.append(dump) }
            }
        }
        if let corpus = try? FixturePaths.corpusFiles() {
            dumps += corpus.prefix(120).compactMap { try? DumpReader.read(path: $0.path) }
        }
        dumps.append(Dump(cpus: [], origin: .model("empty \"quoted\" \\ origin")))
        XCTAssertGreaterThan(dumps.count, 10)
        for dump in dumps {
            let text = try DumpWriter.render(dump, as: .json)
            let (fast, general) = both(text)
            if dump.cpus.isEmpty {
                XCTAssertNil(general, "an empty dump is an error on the general path")
                XCTAssertNil(fast)
                continue
            }
            XCTAssertNotNil(fast, "the fast path reads what the writer writes (\(dump.origin))")
            XCTAssertEqual(fast, general, "\(dump.origin)")
        }
    }

    func testOtherLayoutsFallThrough() {
        let handWritten = "{\"cpus\": [{\"cpu\": 0, \"entries\": [{\"leaf\": 0, \"eax\": 1, \"ebx\": 0, \"ecx\": 0, \"edx\": 0}]}]}"
        XCTAssertNil(both(handWritten).fast)
        XCTAssertNotNil(both(handWritten).general)
        let upper = """
            {
              "format": "vcpuid-dump",
              "version": 1,
              "origin": "x",
              "cpus": [
                {
                  "cpu": 0,
                  "entries": [
                    {"leaf": "0x0000000D", "subleaf": "0x00", "eax": "0x00000001", "ebx": "0x00000000", "ecx": "0x00000000", "edx": "0x00000000", "indexed": false}
                  ]
                }
              ]
            }
            """
        XCTAssertNil(both(upper).fast, "upper-case digits are not the writer's spelling")
        XCTAssertEqual(both(upper).general?.first?.snapshot.value(0xD, 0, .eax), 1)
        let duplicate = upper.replacingOccurrences(of: "0x0000000D", with: "0x0000000d")
            .replacingOccurrences(of: "        {\"leaf\"", with: "        {\"leaf\": \"0x0000000d\", \"subleaf\": \"0x00\", \"eax\": \"0x00000002\", \"ebx\": \"0x00000000\", \"ecx\": \"0x00000000\", \"edx\": \"0x00000000\", \"indexed\": false},\n        {\"leaf\"")
        XCTAssertNil(both(duplicate).fast, "a conflicting duplicate leaves the decision to the general parser")
    }
}
