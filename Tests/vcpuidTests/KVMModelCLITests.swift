import Foundation
import XCTest

/// `vcpuid kvm predict`, `explain` and `diff` run as a user would.
final class KVMModelCLITests: XCTestCase {
    /// The SGX host of the model tests as `cpuid -r` text.
    static let sgxHost = """
        CPU:
           0x00000000 0x00: eax=0x0000001b ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69
           0x00000001 0x00: eax=0x000906ea ebx=0x00100800 ecx=0x7ffafbff edx=0xbfebfbff
           0x00000007 0x00: eax=0x00000002 ebx=0x029c6fbf ecx=0x40000000 edx=0xbc000400
           0x00000007 0x01: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x00000007 0x02: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000004
           0x0000000d 0x00: eax=0x0000001f ebx=0x00000440 ecx=0x00000440 edx=0x00000000
           0x0000000d 0x01: eax=0x0000000f ebx=0x000003c0 ecx=0x00000100 edx=0x00000000
           0x0000000d 0x02: eax=0x00000100 ebx=0x00000240 ecx=0x00000000 edx=0x00000000
           0x00000012 0x00: eax=0x00000c03 ebx=0x00000003 ecx=0x00000000 edx=0x0000241f
           0x00000012 0x01: eax=0x000004f6 ebx=0x00000000 ecx=0x0000001f edx=0x00000000
           0x00000012 0x02: eax=0x70200001 ebx=0x00000000 ecx=0x05d80001 edx=0x00000000
           0x00000012 0x03: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000
           0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000121 edx=0x2c100800
           0x80000008 0x00: eax=0x00003027 ebx=0x00000000 ecx=0x00000000 edx=0x00000000

        """

    private var hostFile: String!

    override func setUpWithError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-kvmmodel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        hostFile = dir.appendingPathComponent("sgx-host.txt").path
        try Self.sgxHost.write(toFile: hostFile, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        if let hostFile { try? FileManager.default.removeItem(atPath: (hostFile as NSString).deletingLastPathComponent) }
    }

    private func line(_ output: String, leaf: String, subleaf: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.contains("\(leaf) \(subleaf):") }
    }

    func testPredictRawShowsLeaf12PerKernel() throws {
        let old = try CLI.run(["kvm", "predict", hostFile, "--kernel", "6.1", "--format", "raw"])
        XCTAssertEqual(old.status, 0, old.stderr)
        XCTAssertEqual(line(old.stdout, leaf: "0x00000012", subleaf: "0x00"),
                       "   0x00000012 0x00: eax=0x00000003 ebx=0x00000001 ecx=0x00000000 edx=0x0000241f")
        XCTAssertEqual(line(old.stdout, leaf: "0x00000012", subleaf: "0x01"),
                       "   0x00000012 0x01: eax=0x000000b6 ebx=0x00000000 ecx=0x0000001f edx=0x00000000")
        XCTAssertNil(line(old.stdout, leaf: "0x00000012", subleaf: "0x02"))
        let new = try CLI.run(["kvm", "predict", hostFile, "--kernel", "6.2", "--format", "raw"])
        XCTAssertEqual(line(new.stdout, leaf: "0x00000012", subleaf: "0x00"),
                       "   0x00000012 0x00: eax=0x00000803 ebx=0x00000001 ecx=0x00000000 edx=0x0000241f")
        XCTAssertTrue(line(new.stdout, leaf: "0x00000012", subleaf: "0x01")?.contains("eax=0x000004b6") ?? false)
    }

    func testPredictWithSGXOffOffersAnEmptyLeaf12() throws {
        let r = try CLI.run(["kvm", "predict", hostFile, "--kernel", "6.2", "--sgx", "off", "--format", "raw"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(line(r.stdout, leaf: "0x00000012", subleaf: "0x00"),
                       "   0x00000012 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000")
        XCTAssertNil(line(r.stdout, leaf: "0x00000012", subleaf: "0x01"))
    }

    func testPredictJSONCarriesTheRules() throws {
        let r = try CLI.run(["kvm", "predict", hostFile, "--kernel", "6.1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let entries = object?["entries"] as? [[String: Any]] ?? []
        let leaf12 = entries.first { ($0["leaf"] as? String) == "0x00000012" && ($0["subleaf"] as? Int) == 0 }
        XCTAssertEqual(leaf12?["eax"] as? String, "0x00000003")
        let eaxRules = (leaf12?["rules"] as? [String: Any])?["eax"] as? [[String: Any]] ?? []
        XCTAssertTrue(eaxRules.contains { ($0["bits"] as? String) == "0x00000800" && ($0["offered"] as? Bool) == false },
                      "\(eaxRules)")
        XCTAssertEqual(object?["kernel"] as? String, "6.1")
    }

    func testExplainGivesTheOneLineVerdicts() throws {
        let old = try CLI.run(["kvm", "explain", "sgx_edeccssa", hostFile, "--kernel", "6.1"])
        XCTAssertEqual(old.status, 0, old.stderr)
        XCTAssertTrue(old.stdout.hasPrefix("sgx_edeccssa: not offered by kernel 6.1 — KVM's CPUID_12_EAX mask lacks it before 6.2"),
                      old.stdout)
        let new = try CLI.run(["kvm", "explain", "sgx_edeccssa", hostFile, "--kernel", "6.2"])
        XCTAssertTrue(new.stdout.hasPrefix("sgx_edeccssa: offered by 6.2: host has it, kernel has it, mask has it"),
                      new.stdout)
        let cleared = try CLI.run(["kvm", "explain", "sgx_edeccssa", hostFile, "--kernel", "6.2",
                                   "--clearcpuid", "\(11 * 32 + 18)"])
        XCTAssertTrue(cleared.stdout.contains("not offered"), cleared.stdout)
    }

    func testExplainRejectsUnknownFeaturesAndBadKernels() throws {
        let unknown = try CLI.run(["kvm", "explain", "no_such_feature", hostFile, "--kernel", "6.2"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no_such_feature"), unknown.stderr)
        let badKernel = try CLI.run(["kvm", "predict", hostFile, "--kernel", "six"])
        XCTAssertNotEqual(badKernel.status, 0)
        XCTAssertTrue(badKernel.stderr.contains("--kernel"), badKernel.stderr)
        let allCPUs = try CLI.run(["kvm", "predict", hostFile, "--kernel", "6.2", "--all-cpus"])
        XCTAssertNotEqual(allCPUs.status, 0)
        XCTAssertTrue(allCPUs.stderr.contains("--all-cpus"), allCPUs.stderr)
        let old = try CLI.run(["kvm", "predict", hostFile, "--kernel", "5.4"])
        XCTAssertNotEqual(old.status, 0)
        XCTAssertTrue(old.stderr.contains("5.10"), old.stderr)
    }

    func testDiffAgainstTheLiveKVM() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else {
            throw XCTSkip("/dev/kvm is absent: there is no live table to compare with")
        }
        let r = try CLI.run(["kvm", "diff", "--kernel", "6.18", "--json"])
        if r.status != 0, r.stderr.contains("EACCES") || r.stderr.contains("ermission") {
            throw XCTSkip("/dev/kvm is not accessible to this user: \(r.stderr)")
        }
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertNotNil(object?["coverage"] as? String)
        XCTAssertGreaterThan(object?["liveEntries"] as? Int ?? 0, 0)
        let module = object?["liveModule"] as? String
        if module == "kvm_pvm" {
            XCTAssertTrue((object?["coverage"] as? String ?? "").contains("kvm_pvm"))
        }
        let text = try CLI.run(["kvm", "diff", "--kernel", "6.18"])
        XCTAssertTrue(text.stdout.contains("coverage"), text.stdout)
    }
}
