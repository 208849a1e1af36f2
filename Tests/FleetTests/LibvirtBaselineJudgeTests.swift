import CPUID
import Foundation
@testable import Fleet
import KVM
import X86Features
import XCTest

/// libvirt is the judge of `baseline`'s semantics: each real CPU goes to libvirt as a host CPU (the smallest
/// model plus every cpu_map feature its CPUID has), `virsh -c test:///default cpu-baseline --features` computes
/// the baseline and expands its model, and the feature set must equal vcpuid's baseline in libvirt's names.
/// Skips where virsh (Debian's libvirt-clients) is missing.
final class LibvirtBaselineJudgeTests: XCTestCase {
    static let virsh = "/usr/bin/virsh"

    /// A `<cpu>` as `virsh capabilities` describes a host: model, vendor and every feature present.
    func hostCPU(_ snapshot: Snapshot) -> String {
        let vendor = LibvirtCPUMap.vendors[snapshot.vendor] ?? snapshot.vendor
        var xml = "<cpu>\n  <arch>x86_64</arch>\n  <model>486</model>\n  <vendor>\(vendor)</vendor>\n"
        for name in LibvirtCPUMap.names(in: snapshot) { xml += "  <feature name='\(name)'/>\n" }
        return xml + "</cpu>\n"
    }

    /// libvirt's baseline of `inputs`, as the sorted feature names of `cpu-baseline --features`.
    func libvirtBaseline(_ inputs: [Snapshot]) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-libvirt-\(getpid())-\(UUID().uuidString).xml")
        try inputs.map(hostCPU).joined().write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.virsh)
        process.arguments = ["-c", "test:///default", "cpu-baseline", file.path, "--features"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // virsh is installed here, so a refusal is about the XML vcpuid wrote: a failure, not a skip.
        guard process.terminationStatus == 0 else {
            XCTFail("virsh cpu-baseline refused the host CPUs: \(errors)")
            return []
        }
        var names: [String] = []
        for line in text.split(separator: "\n") where line.contains("<feature") && !line.contains("policy='disable'") {
            guard let start = line.range(of: "name='"), let end = line[start.upperBound...].firstIndex(of: "'") else { continue }
            names.append(String(line[start.upperBound..<end]))
        }
        return names.sorted()
    }

    /// vcpuid's baseline in libvirt's names, and the libvirt names of features it drops by Linux's dependency
    /// rows (a design difference: libvirt does not know that a Linux guest clears MMX without FXSR).
    func vcpuidBaseline(_ inputs: [(String, Snapshot)]) throws -> (names: [String], droppedByDependency: Set<String>) {
        var accumulator = BaselineAccumulator()
        for (name, snapshot) in inputs { accumulator.add(snapshot, name: name) }
        let baseline = try accumulator.result(kernel: KernelProfile.newest)
        var dropped: Set<String> = []
        for lost in baseline.lost where lost.reason == .dependency {
            guard let bit = FeatureBits.shared.bit(named: lost.macro) else { continue }
            var single = Snapshot()
            single.set(0, 0, .eax, to: max(bit.field.leaf < 0x8000_0000 ? bit.field.leaf : 0, 1))
            if bit.field.leaf >= 0x8000_0000 { single.set(0x8000_0000, 0, .eax, to: bit.field.leaf) }
            single.set(bit.field, to: 1)
            dropped.formUnion(LibvirtCPUMap.names(in: single))
        }
        return (LibvirtCPUMap.names(in: baseline.table), dropped)
    }

    func assertAgrees(_ inputs: [(String, Snapshot)], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try libvirtBaseline(inputs.map(\.1))
        let (actual, dropped) = try vcpuidBaseline(inputs)
        let label = inputs.map { URL(fileURLWithPath: $0.0).lastPathComponent }.joined(separator: " + ")
        XCTAssertEqual(Set(actual).subtracting(expected).sorted(), [], "\(label): only in vcpuid's baseline", file: file, line: line)
        XCTAssertEqual(Set(expected).subtracting(actual).subtracting(dropped).sorted(), [],
                       "\(label): only in libvirt's baseline (and not a Linux dependency drop)", file: file, line: line)
        XCTAssertFalse(expected.isEmpty, label, file: file, line: line)
    }

    func requireVirsh() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.virsh) else {
            throw XCTSkip("virsh is not installed (Debian's libvirt-clients; .ci/run installs it)")
        }
    }

    func testMixedGenerationFixturesAgreeWithLibvirt() throws {
        try requireVirsh()
        let names = [FleetFixtures.skylakeX, FleetFixtures.cometLake, FleetFixtures.haswell, FleetFixtures.coffeeLake]
        let inputs = try names.map { ($0, try FleetFixtures.snapshot($0)) }
        try assertAgrees(Array(inputs.prefix(2)))
        try assertAgrees(Array(inputs.suffix(2)))
        try assertAgrees(inputs)
    }

    /// Real pairs across neighbouring generations of the libcpuid corpus, Intel and AMD.
    func testCorpusPairsAgreeWithLibvirt() throws {
        try requireVirsh()
        let corpus = try FleetFixtures.corpus()
        var checked = 0
        for vendor in ["intel/x86-64", "amd"] {
            let folder = corpus.appendingPathComponent(vendor)
            let generations = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            var firsts: [(String, Snapshot)] = []
            for generation in generations {
                let dir = folder.appendingPathComponent(generation)
                guard let file = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter({ $0.hasSuffix(".test") }).sorted().first
                else { continue }
                let path = dir.appendingPathComponent(file).path
                guard let snapshot = try? DumpReader.read(path: path).first, snapshot.maxExtendedLeaf >= 0x8000_0001 else { continue }
                firsts.append((path, snapshot))
            }
            for (a, b) in zip(firsts, firsts.dropFirst()) where a.1.vendor == b.1.vendor {
                try assertAgrees([a, b])
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 10, "pairs checked")
    }
}
