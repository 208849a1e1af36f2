import Foundation
import XCTest

/// diff, baseline, compare and labels as a user runs them, on the fleet fixtures.
final class FleetCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fleet")

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    var temporary: URL!

    override func setUpWithError() throws {
        temporary = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-fleet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temporary)
    }

    func testDiffExitsZeroWhenEqualAndOneWhenDifferent() throws {
        let same = try CLI.run(["diff", fixture("haswell-i7-4770.cpuid"), fixture("haswell-i7-4770.cpuid")])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("equal"))
        let different = try CLI.run(["diff", fixture("skylake-x-i9-10980xe.cpuid"), fixture("comet-lake-i7-10700k.cpuid")])
        XCTAssertEqual(different.status, 1, different.stderr)
        XCTAssertTrue(different.stdout.contains("features only in A"))
        XCTAssertTrue(different.stdout.contains("! TSX RTM"))
        let json = try CLI.run(["diff", fixture("skylake-x-i9-10980xe.cpuid"), fixture("comet-lake-i7-10700k.cpuid"), "--json"])
        XCTAssertEqual(json.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["equal"] as? Bool, false)
    }

    func testDiffOfUnreadableInputExitsTwo() throws {
        let result = try CLI.run(["diff", fixture("missing.cpuid"), fixture("haswell-i7-4770.cpuid")])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("missing.cpuid"))
    }

    func testBaselineSummaryTableAndRefusal() throws {
        let summary = try CLI.run(["baseline", fixture("skylake-x-i9-10980xe.cpuid"), fixture("haswell-i7-4770.cpuid")])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.contains("level: x86-64-v3"))
        XCTAssertTrue(summary.stdout.contains("avx512f"))
        XCTAssertTrue(summary.stdout.contains("lacked by 1 of 2"))
        XCTAssertTrue(summary.stderr.isEmpty, "no progress line when standard error is not a terminal")

        let table = temporary.appendingPathComponent("guest.json").path
        let written = try CLI.run(["baseline", fixture("skylake-x-i9-10980xe.cpuid"), fixture("ice-lake-i7-1065g7.cpuid"),
                                   "--migratable", "--format", "json", "--output", table])
        XCTAssertEqual(written.status, 0, written.stderr)
        let shown = try CLI.run(["flags", table])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("avx512f"))

        let mixed = try CLI.run(["baseline", fixture("skylake-x-i9-10980xe.cpuid"), fixture("zen4-ryzen-7-7700x.cpuid")])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("vendors do not match"))
        XCTAssertTrue(mixed.stderr.contains("zen4-ryzen-7-7700x.cpuid"))
    }

    func testBaselineWalksADirectoryAndAList() throws {
        let directory = temporary.appendingPathComponent("hosts")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["coffee-lake-i9-9900k.cpuid", "comet-lake-i7-10700k.cpuid"] {
            try FileManager.default.copyItem(atPath: fixture(name), toPath: directory.appendingPathComponent(name).path)
        }
        let walked = try CLI.run(["baseline", directory.path, "--json"])
        XCTAssertEqual(walked.status, 0, walked.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(walked.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["inputs"] as? Int, 2)
        let lost = try XCTUnwrap(object["lost"] as? [[String: Any]])
        XCTAssertTrue(lost.contains { $0["macro"] as? String == "RTM" })

        let listed = try CLI.run(["baseline", "--files-from", "-"],
                                 stdin: Data("\(fixture("haswell-i7-4770.cpuid"))\n\(fixture("haswell-i7-4770.cpuid"))\n".utf8))
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("baseline of 2 inputs"))
    }

    func testKVMViewPerKernel() throws {
        let hosts = [fixture("skylake-x-i9-10980xe.cpuid"), fixture("ice-lake-i7-1065g7.cpuid")]
        let old = try CLI.run(["baseline"] + hosts + ["--view", "kvm", "--kernel", "6.1", "--format", "raw"])
        let new = try CLI.run(["baseline"] + hosts + ["--view", "kvm", "--kernel", "6.18", "--format", "raw"])
        XCTAssertEqual(old.status, 0, old.stderr)
        XCTAssertEqual(new.status, 0, new.stderr)
        XCTAssertNotEqual(old.stdout, new.stdout)
    }

    func testCompareSaysWhyAndExitsOneWhenItCannotRun() throws {
        let guest = temporary.appendingPathComponent("guest.json").path
        _ = try CLI.run(["baseline", fixture("skylake-x-i9-10980xe.cpuid"), fixture("ice-lake-i7-1065g7.cpuid"),
                         "--migratable", "--format", "json", "--output", guest])
        let no = try CLI.run(["compare", guest, fixture("haswell-i7-4770.cpuid")])
        XCTAssertEqual(no.status, 1, no.stderr)
        XCTAssertTrue(no.stdout.contains("avx512f"))
        XCTAssertTrue(no.stdout.contains("host lacks it"))
        let yes = try CLI.run(["compare", guest, fixture("skylake-x-i9-10980xe.cpuid")])
        XCTAssertEqual(yes.status, 0, yes.stdout)
        let kvm = try CLI.run(["compare", guest, fixture("skylake-x-i9-10980xe.cpuid"), "--kernel", "6.1", "--json"])
        XCTAssertEqual(kvm.status, 1)
        XCTAssertTrue(kvm.stdout.contains("KVM does not offer it"))
    }

    func testLabelsAsLinesAndJSON() throws {
        let lines = try CLI.run(["labels", fixture("skylake-x-i9-10980xe.cpuid")])
        XCTAssertEqual(lines.status, 0, lines.stderr)
        XCTAssertTrue(lines.stdout.contains("feature.node.kubernetes.io/cpu-cpuid.AVX512F=true\n"))
        XCTAssertTrue(lines.stdout.contains("cpu-feature.node.kubevirt.io/avx512f=true"))
        let json = try CLI.run(["labels", fixture("zen4-ryzen-7-7700x.cpuid"), "--kernel", "6.18", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(object["kubevirt"])
        XCTAssertTrue(json.stdout.contains("cpu-vendor.node.kubevirt.io/AMD"))
        // Named models from QEMU's table (installed or bundled), judged against the modelled KVM offer.
        XCTAssertTrue(json.stdout.contains("cpu-model.node.kubevirt.io/EPYC-Rome"), json.stdout)
        XCTAssertFalse(json.stdout.contains("cpu-model.node.kubevirt.io/EPYC-Genoa\""), "Zen 4 client lacks Genoa's AVX-512 server set")
        let bare = try CLI.run(["labels", fixture("zen4-ryzen-7-7700x.cpuid"), "--kernel", "6.18", "--no-models"])
        XCTAssertFalse(bare.stdout.contains("cpu-model.node.kubevirt.io/"), bare.stdout)
    }
}
