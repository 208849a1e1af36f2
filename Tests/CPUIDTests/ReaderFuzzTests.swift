import CPUID
import Foundation
import XCTest

/// Mutation fuzzing of every reader: mutated fixtures of every format, read with detection and with each
/// format forced, must give a dump or a positioned DumpError — never a crash, never a CPU with nothing in it.
/// The generator is seeded, so a failure reproduces.
final class ReaderFuzzTests: XCTestCase {
    /// SplitMix64: small, fast and deterministic across platforms.
    private struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Fragments that steer mutations into the readers' interesting paths.
    private static let tokens: [String] = [
        "CPUID ", "MSR ", "[SL ", "[SL 1F]", "------[ ", " ]------", "Logical CPU #", "CPU#", " AffMask: 0x", "0X",
        ":", "-", " ", "\t", "\r\n", "\n", "#", "<", "{", "}", "[", "]", "\"", "< FAILED >", "Group: 0x00 Affinity mask: 0x1",
        "00000000", "FFFFFFFF", "0x", "CPU 3:", "basic_cpuid[", "=", "null", "\"msrs\": [", "\u{0}", "\u{FEFF}",
        "CPUID 00000000: 00000001-68747541-444D4163-69746E65", "MSR 0000010A: 0000-0000-0C0A-0CEB",
        "\"cpuid_modifiers\"", "0bxxxx", "guest_cpu_config",
    ]

    private func seeds() throws -> [[UInt8]] {
        var paths: [String] = []
        let root = FixturePaths.repositoryRoot.appendingPathComponent("Tests/Fixtures")
        for folder in ["formats", "aida-shapes", "firecracker"] {
            let dir = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                paths.append(dir.appendingPathComponent(name).path)
            }
        }
        return try paths.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
    }

    private func mutate(_ input: [UInt8], _ rng: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: Array(Self.tokens.randomElement(using: &rng)!.utf8), at: at)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
            case 3: bytes = Array(bytes.prefix(at))
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...120, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            default: if !bytes.isEmpty { bytes[at] = Array("0123456789abcdefABCDEF-: []#x".utf8).randomElement(using: &rng)! }
            }
        }
        return bytes
    }

    func testMutatedInputsNeverCrashAnyReader() throws {
        var rng = Generator(state: 0x5EED_0F_C9_1D)
        let seeds = try seeds()
        XCTAssertGreaterThan(seeds.count, 15)
        let formats: [DumpFormat?] = [nil] + DumpFormat.allCases
        var read = 0
        var refused = 0
        // VCPUID_FUZZ_ROUNDS runs a longer campaign by hand; CI keeps the default short.
        let rounds = ProcessInfo.processInfo.environment["VCPUID_FUZZ_ROUNDS"].flatMap(Int.init) ?? 2_500
        for round in 0..<rounds {
            let input = mutate(seeds[round % seeds.count], &rng)
            let lineCount = input.count { $0 == 10 } + 1
            for format in formats {
                do {
                    let dump = try DumpReader.parse(bytes: input, name: "fuzz", format: format, base: nil)
                    read += 1
                    XCTAssertFalse(dump.cpus.isEmpty)
                    for cpu in dump.cpus {
                        XCTAssertFalse(cpu.snapshot.isEmpty && cpu.snapshot.msrs.isEmpty, "round \(round): an empty CPU \(cpu.number)")
                    }
                } catch {
                    refused += 1
                    if let line = error.line {
                        XCTAssertTrue((1...lineCount).contains(line), "round \(round) \(String(describing: format)): line \(line) of \(lineCount)")
                    }
                    XCTAssertFalse(error.message.isEmpty)
                }
            }
        }
        XCTAssertGreaterThan(read, 100, "the mutations must leave many inputs readable, or the fuzzing only tests refusals")
        XCTAssertGreaterThan(refused, 100)
    }
}
