import Foundation
import XCTest

/// `vcpuid kvm supported` against a minimal C program calling KVM_GET_SUPPORTED_CPUID directly.
final class KVMSupportedCommandTests: XCTestCase {
    /// Benchmarks/c under the repository root, found from this file's path.
    private static let cSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Benchmarks/c")

    /// Compiles Benchmarks/c/kvm_supported.c with `cc` into a temporary folder, or skips.
    private func compileReference() throws -> URL {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent on this machine") }
        guard let cc = ["/usr/bin/cc", "/usr/local/bin/cc", "/bin/cc"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("no C compiler (cc) to build the reference program")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-kvm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("kvm_supported")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cc)
        process.arguments = ["-O2", "-o", binary.path, Self.cSources.appendingPathComponent("kvm_supported.c").path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("cc could not build kvm_supported.c (no <linux/kvm.h>?)") }
        return binary
    }

    /// KVM_GET_SUPPORTED_CPUID passes through per-CPU fields of the CPU the ioctl runs on (the APIC ID in
    /// 1.EBX[31:24], the x2APIC ID in 0xB EDX), so both programs run pinned to CPU 0 with taskset.
    private func taskset() throws -> String {
        guard let path = ["/usr/bin/taskset", "/bin/taskset"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("taskset is missing: without pinning, per-CPU APIC IDs make the tables differ")
        }
        return path
    }

    private func runReference(_ binary: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try taskset())
        process.arguments = ["-c", "0", binary.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("the C reference cannot use /dev/kvm here") }
        return String(decoding: data, as: UTF8.self)
    }

    /// `vcpuid` pinned to CPU 0, like the reference.
    private func runPinnedCLI(_ arguments: [String]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try taskset())
        process.arguments = ["-c", "0", CLI.executable.path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    private func entryLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("   0x") }
    }

    func testRawOutputEqualsTheCProgramEntryForEntry() throws {
        let binary = try compileReference()
        for emulated in [false, true] {
            let reference = try runReference(binary, emulated ? ["-e"] : [])
            // vcpuid pins itself with --cpu 0; the C program runs under taskset -c 0.
            let result = try CLI.run(["kvm", "supported", "--format", "raw", "--cpu", "0"] + (emulated ? ["--emulated"] : []))
            XCTAssertEqual(result.status, 0, result.stderr)
            let expected = entryLines(reference)
            XCTAssertFalse(expected.isEmpty)
            // vcpuid sorts by (leaf, subleaf); the C program prints KVM's order.
            XCTAssertEqual(entryLines(result.stdout), expected.sorted(), "emulated: \(emulated)")
            XCTAssertTrue(result.stdout.hasPrefix("CPU:\n"))
        }
    }

    func testFlagsMatchTheCProgram() throws {
        let binary = try compileReference()
        let reference = try runReference(binary, ["-f"])
        var referenceFlags: [String: Bool] = [:]
        for line in entryLines(reference) {
            let parts = line.split(separator: " ")
            let key = "\(parts[0]) \(parts[1].dropLast())"
            referenceFlags[key] = parts.last.map { $0 != "flags=0x0" }
        }
        let table = try runPinnedCLI(["kvm", "supported"])
        XCTAssertEqual(table.status, 0, table.stderr)
        var rows = 0
        for line in table.stdout.split(separator: "\n") where line.hasPrefix("0x") {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            let subleaf = String(columns[1])
            let key = "\(columns[0]) \(subleaf)"
            XCTAssertEqual(referenceFlags[key], columns[6] != "-", "flags of \(key)")
            XCTAssertEqual(line.hasSuffix("index"), referenceFlags[key], "\(key)")
            rows += 1
        }
        XCTAssertEqual(rows, referenceFlags.count)
    }

    func testJSONMarksIndexedEntries() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent on this machine") }
        let result = try CLI.run(["kvm", "supported", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["origin"] as? String, "KVM_GET_SUPPORTED_CPUID")
        let cpus = try XCTUnwrap(object?["cpus"] as? [[String: Any]])
        let entries = try XCTUnwrap(cpus.first?["entries"] as? [[String: Any]])
        let leaf7 = try XCTUnwrap(entries.first { $0["leaf"] as? String == "0x00000007" && $0["subleaf"] as? String == "0x00" })
        XCTAssertEqual(leaf7["indexed"] as? Bool, true)
        let leaf0 = try XCTUnwrap(entries.first { $0["leaf"] as? String == "0x00000000" })
        XCTAssertEqual(leaf0["indexed"] as? Bool, false)
    }

    func testFeatureMSRsAreListedAndCarriedInJSON() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent on this machine") }
        let table = try CLI.run(["kvm", "supported", "--msrs"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let header = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.hasPrefix("KVM_GET_MSR_FEATURE_INDEX_LIST: ") })
        let count = Int(header.split(separator: " ")[1]) ?? -1
        XCTAssertGreaterThan(count, 0, String(header))
        let json = try CLI.run(["kvm", "supported", "--msrs", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let cpus = try XCTUnwrap(object?["cpus"] as? [[String: Any]])
        let msrs = try XCTUnwrap(cpus.first?["msrs"] as? [[String: Any]])
        XCTAssertEqual(msrs.count, count, "the JSON carries every MSR the table lists")
        let raw = try CLI.run(["kvm", "supported", "--msrs", "--format", "raw"])
        XCTAssertTrue(raw.stderr.contains("note: \(count) MSR"), "raw text says what it left out: \(raw.stderr)")
    }

    func testMissingDeviceFailsWithAdvice() throws {
        let result = try CLI.run(["kvm", "supported", "--device", "/nonexistent/kvm"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("ENOENT"), result.stderr)
        XCTAssertTrue(result.stderr.contains("load the KVM module"), result.stderr)
    }
}
