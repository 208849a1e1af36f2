import Foundation
import XCTest

/// The default report's cross-module sections: Linux view, SGX line, KVM and the guest check.
final class ReportSectionsTests: XCTestCase {
    static func fixture(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(relative)").path
    }

    var kvmUsable: Bool { FileManager.default.isReadableFile(atPath: "/dev/kvm") }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLI.run(arguments + ["--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func testLiveReportHasEverySectionInOrder() throws {
        let result = try CLI.run([])
        XCTAssertEqual(result.status, 0, result.stderr)
        let titles = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map(String.init)
        XCTAssertEqual(titles, ["CPU", "Leaf ranges", "Linux view", "SGX", "KVM", "Guest"], result.stdout)
        for label in ["kernel profile", "cpuinfo flags", "cpuinfo bugs", "hidden features", "vs /proc/cpuinfo", "guest verified"] {
            XCTAssertTrue(result.stdout.contains("  \(label) "), "missing \(label): \(result.stdout)")
        }
    }

    func testJSONHasEverySectionKey() throws {
        let object = try json([])
        for key in ["identity", "leaves", "linux", "sgx", "kvm", "guest"] {
            XCTAssertNotNil(object[key] as? [String: Any], "no \(key) section")
        }
        let linux = try XCTUnwrap(object["linux"] as? [String: Any])
        XCTAssertGreaterThan(linux["flags"] as? Int ?? 0, 10)
        XCTAssertNotNil(linux["hidden_features"] as? Int)
        let sgx = try XCTUnwrap((object["sgx"] as? [String: Any])?["summary"] as? [String: Any])
        XCTAssertNotNil(sgx["text"] as? String)
        XCTAssertNotNil(sgx["aex_notify_usable"] as? Bool)
        XCTAssertNotNil((object["kvm"] as? [String: Any])?["not_offered"] as? [Any])
    }

    /// The Linux view's flag count is `vcpuid flags`'s line, and the live comparison is `flags --compare`'s.
    func testLinuxViewMatchesTheFlagsCommand() throws {
        let linux = try XCTUnwrap(try json([])["linux"] as? [String: Any])
        // The report applies this machine's boot options (clearcpuid=, nosgx, ...), as the running kernel did.
        let cmdline = (try? String(contentsOfFile: "/proc/cmdline", encoding: .utf8)) ?? ""
        let flags = try CLI.run(["flags", "--json", "--boot", cmdline.trimmingCharacters(in: .whitespacesAndNewlines)])
        XCTAssertEqual(flags.status, 0, flags.stderr)
        let names = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(flags.stdout.utf8)) as? [String: Any])?["flags"] as? [String])
        XCTAssertEqual(linux["flags"] as? Int, names.count)
        guard FileManager.default.isReadableFile(atPath: "/proc/cpuinfo") else {
            throw XCTSkip("no /proc/cpuinfo to compare with")
        }
        let comparison = try XCTUnwrap(linux["proc_cpuinfo"] as? [String: Any], "\(linux)")
        let compare = try CLI.run(["flags", "--compare", "/proc/cpuinfo", "--json"])
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(comparison["matching"] as? Int, expected["matching"] as? Int)
        XCTAssertEqual(comparison["differences"] as? Int, (expected["differences"] as? [Any])?.count)
        XCTAssertEqual((comparison["unexplained"] as? [Any])?.count, expected["unexplained"] as? Int)
    }

    func testKVMSectionListsTenUnofferedFeaturesUnlessVerbose() throws {
        guard kvmUsable else { throw XCTSkip("/dev/kvm is absent or not readable here") }
        let kvm = try XCTUnwrap(try json([])["kvm"] as? [String: Any])
        XCTAssertEqual(kvm["api_version"] as? Int, 12)
        XCTAssertGreaterThan(kvm["supported_entries"] as? Int ?? 0, 10)
        XCTAssertNotNil(kvm["module"] as? String)
        let all = try XCTUnwrap(kvm["not_offered"] as? [[String: Any]])
        for feature in all {
            XCTAssertNotNil(feature["name"] as? String)
            XCTAssertTrue((feature["field"] as? String)?.hasPrefix("CPUID.(EAX=") ?? false, "\(feature)")
            XCTAssertFalse((feature["reason"] as? String ?? "").isEmpty)
        }
        // Features that share a register and a reason are one line; the short report shows ten lines at most.
        func listedLines(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") && $0.contains("CPUID.(EAX=") }
        }
        let short = try CLI.run([])
        XCTAssertLessThanOrEqual(listedLines(short.stdout).count, 10, short.stdout)
        XCTAssertEqual(listedLines(short.stdout).isEmpty, all.isEmpty, short.stdout)
        let verbose = try CLI.run(["--verbose"])
        let verboseLines = listedLines(verbose.stdout)
        XCTAssertLessThanOrEqual(verboseLines.count, all.count)
        for feature in all {
            let name = try XCTUnwrap(feature["name"] as? String)
            let field = try XCTUnwrap(feature["field"] as? String)
            let register = String(field.prefix { $0 != "[" })
            XCTAssertTrue(verboseLines.contains { $0.contains(register) && ($0.contains(" \(name) ") || $0.contains(" \(name):") || $0.contains("- \(name) (")) },
                          "\(name) (\(field)) is listed with --verbose: \(verbose.stdout)")
        }
        if verboseLines.count > 10 { XCTAssertTrue(short.stdout.contains("more groups"), short.stdout) }
    }

    func testKVMModuleTheModelDoesNotFullyCoverIsNamedPlainly() throws {
        guard kvmUsable else { throw XCTSkip("/dev/kvm is absent or not readable here") }
        let kvm = try XCTUnwrap(try json([])["kvm"] as? [String: Any])
        let coverage = try XCTUnwrap(kvm["model_coverage"] as? String)
        switch kvm["module"] as? String {
        case "kvm_pvm": XCTAssertTrue(coverage.contains("differences are expected"), coverage)
        case let module?: XCTAssertTrue(coverage.contains(module), coverage)
        case nil: XCTFail("no module named: \(kvm)")
        }
    }

    func testGuestLineCountsVerifiedEntries() throws {
        guard kvmUsable else { throw XCTSkip("/dev/kvm is absent or not readable here") }
        let object = try json([])
        let guest = try XCTUnwrap(object["guest"] as? [String: Any])
        let line = try XCTUnwrap(guest["verified"] as? String, "\(guest)")
        let entries = (object["kvm"] as? [String: Any])?["supported_entries"] as? Int ?? -1
        XCTAssertTrue(line.hasPrefix("\(entries) entries"), "expected every supported entry verified: \(line)")
    }

    func testDumpReportShowsTheModelInsteadOfLiveSections() throws {
        let file = Self.fixture("formats/aida-tab-form.txt")
        let text = try CLI.run(["report", file])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("vs /proc/cpuinfo      not applicable to a dump"), text.stdout)
        XCTAssertTrue(text.stdout.contains("guest verified        not applicable to a dump"), text.stdout)
        XCTAssertTrue(text.stdout.contains("a dump does not say which kernel runs it"), text.stdout)
        let object = try json(["report", file])
        let kvm = try XCTUnwrap(object["kvm"] as? [String: Any])
        XCTAssertNil(kvm["api_version"])
        XCTAssertTrue(kvm["device"] is NSNull, "\(kvm)")
        XCTAssertGreaterThan(kvm["supported_entries"] as? Int ?? 0, 0)
        let names = (kvm["not_offered"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        XCTAssertEqual(names, ["MWAIT", "HT"], "the model's kvm_amd reasons for this family 0x10 dump")
        XCTAssertTrue((object["guest"] as? [String: Any])?["verified"] is NSNull)
        XCTAssertEqual((object["linux"] as? [String: Any])?["kernel_profile"] as? String, "7.0")
    }

    func testSGXLineOfDumps() throws {
        let capable = try XCTUnwrap((try json(["report", Self.fixture("sgx/aex-notify-capable.cpuid")])["sgx"] as? [String: Any])?["summary"] as? [String: Any])
        XCTAssertEqual(capable["available"] as? Bool, true)
        XCTAssertEqual(capable["aex_notify_usable"] as? Bool, true)
        XCTAssertTrue((capable["text"] as? String ?? "").hasPrefix("SGX_LC SGX1 SGX2 EDECCSSA, AEX-Notify usable"), "\(capable)")
        let older = try CLI.run(["report", Self.fixture("sgx/no-edeccssa.cpuid")])
        XCTAssertTrue(older.stdout.contains("AEX-Notify not usable (ENCLU[EDECCSSA])"), older.stdout)
        let amd = try CLI.run(["report", Self.fixture("formats/aida-tab-form.txt")])
        XCTAssertTrue(amd.stdout.contains("SGX                   absent — CPUID.(EAX=07H,ECX=0):EBX[2] = 0"), amd.stdout)
    }
}
