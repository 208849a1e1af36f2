import Foundation
import XCTest

/// `kvm diff` asks KVM on the host snapshot's CPU, so running it on another CPU does not
/// show a spurious APIC ID difference in 1.EBX[31:24].
final class KVMDiffPinningTests: XCTestCase {
    func testDiffFromAnotherCPUShowsNoAPICIDDifference() throws {
        guard FileManager.default.fileExists(atPath: "/dev/kvm") else { throw XCTSkip("/dev/kvm is absent") }
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: taskset) else { throw XCTSkip("taskset is not installed") }
        let last = ProcessInfo.processInfo.activeProcessorCount - 1
        guard last > 0 else { throw XCTSkip("one CPU only: every run is on CPU 0") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskset)
        process.arguments = ["-c", "\(last)", CLI.executable.path, "kvm", "diff", "--json"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if stderr.contains("EACCES") { throw XCTSkip("/dev/kvm is not accessible: \(stderr)") }
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: stdout) as? [String: Any])
        let differences = try XCTUnwrap(document["differences"] as? [[String: Any]])
        let apic = differences.filter { $0["leaf"] as? String == "0x00000001" && $0["register"] as? String == "EBX" }
        XCTAssertEqual(apic.count, 0, "\(apic)")
    }
}
