import Foundation
import XCTest

/// The executable must not link full Foundation (and ICU): loading and relocating them cost several
/// milliseconds at every start, which the whole-process targets of `dump` and `kvm supported` cannot afford.
final class StartupLinkageTests: XCTestCase {
    /// No file in Sources imports full Foundation; FoundationEssentials and Glibc are fine.
    func testNoSourceFileImportsFullFoundation() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else {
            throw XCTSkip("Sources is not next to the tests (\(sources.path))")
        }
        var swiftFiles = 0
        var offenders: [String] = []
        for case let path as String in walker where path.hasSuffix(".swift") {
            swiftFiles += 1
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let words = line.split(separator: " ")
                if let index = words.firstIndex(of: "import"), index + 1 < words.count, words[index + 1] == "Foundation" {
                    offenders.append("Sources/\(path):\(number + 1): \(line)")
                }
            }
        }
        XCTAssertGreaterThan(swiftFiles, 50, "the walk should see the package's sources")
        XCTAssertEqual(offenders, [], "import FoundationEssentials (or Glibc) instead")
    }

    /// The built executable does not load libFoundation.so (checked on the dynamic builds tests run).
    func testExecutableDoesNotNeedFoundationLibrary() throws {
        let data = try Data(contentsOf: CLI.executable)
        guard data.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else { throw XCTSkip("the vcpuid executable is not ELF") }
        let needle = Data("libFoundation.so".utf8)
        XCTAssertNil(data.range(of: needle), "vcpuid names libFoundation.so: some module imports full Foundation")
        XCTAssertNil(data.range(of: Data("lib_FoundationICU.so".utf8)), "vcpuid names lib_FoundationICU.so")
    }

    /// The commands whose Foundation calls were replaced still behave: errors carry the C library's reason,
    /// `sgx explore` prints its time with three decimals, list items are trimmed.
    func testReplacedFoundationCallsStillBehave() throws {
        let flags = try CLI.run(["flags", "--compare", "/nonexistent/cpuinfo"])
        XCTAssertNotEqual(flags.status, 0)
        XCTAssertTrue(flags.stderr.contains("/nonexistent/cpuinfo: cannot read: No such file or directory"), flags.stderr)

        let scenario = try CLI.run(["sgx", "simulate", "/nonexistent/scenario.sgx"])
        XCTAssertEqual(scenario.status, 2)
        XCTAssertTrue(scenario.stderr.contains("/nonexistent/scenario.sgx: error: cannot read: No such file"), scenario.stderr)

        let explore = try CLI.run(["sgx", "explore", "--depth", "3"])
        XCTAssertEqual(explore.status, 0, explore.stderr)
        let summary = explore.stdout.split(separator: "\n").first { $0.hasPrefix("depth 3:") } ?? ""
        XCTAssertNotNil(summary.range(of: #"in [0-9]+\.[0-9]{3} s \("#, options: .regularExpression), String(summary))

        let spaced = try CLI.run(["flags", "--clear", " avx2 , sse4_2 ", "--json"])
        let plain = try CLI.run(["flags", "--clear", "avx2,sse4_2", "--json"])
        XCTAssertEqual(spaced.status, 0, spaced.stderr)
        XCTAssertEqual(spaced.stdout, plain.stdout)
        XCTAssertTrue(plain.stdout.contains("\"flags\" : ["), plain.stdout)
    }
}
