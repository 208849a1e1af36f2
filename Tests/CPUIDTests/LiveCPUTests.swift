import CPUID
import Foundation
import XCTest

/// The live sources, checked against Todd Allen's `cpuid` and against each other.
final class LiveCPUTests: XCTestCase {
    private func requireInstruction() throws {
        guard CPUIDInstruction.isAvailable else { throw XCTSkip("not an x86 machine: no CPUID instruction") }
    }

    /// Runs a program and returns its standard output, or nil when it cannot run.
    static func output(of arguments: [String]) -> String? {
        for folder in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(arguments[0])") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "\(folder)/\(arguments[0])")
            process.arguments = Array(arguments.dropFirst())
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
        }
        return nil
    }

    func testLiveDumpListsEverythingCpuidListsWithIdenticalRegisters() throws {
        try requireInstruction()
        guard let text = Self.output(of: ["taskset", "-c", "0", "cpuid", "-1", "-r"]) else {
            throw XCTSkip("Debian's `cpuid` (or taskset) is not installed: apt-get install cpuid")
        }
        let theirs = try DumpReader.parse(text, name: "cpuid -1 -r").first
        let ours = try LiveCPU.snapshot(cpu: 0)
        XCTAssertGreaterThan(theirs.count, 10)
        for entry in theirs.entries {
            XCTAssertEqual(ours.entry(entry.leaf, entry.subleaf)?.registers, entry.registers, "leaf \(entry.key)")
        }
        // Where the rules reach further than cpuid's (newer leaves), ours may list more; never fewer.
        let extra = Set(ours.keys).subtracting(theirs.keys)
        XCTAssertTrue(extra.allSatisfy { SubleafRules.hasSubleaves($0.leaf) && $0.subleaf > 0 },
                      "only extra subleaves of indexed leaves may go beyond cpuid: \(extra.sorted())")
    }

    func testDevCPUAgreesWithTheInstruction() throws {
        try requireInstruction()
        let devCPU: Snapshot
        do {
            devCPU = try LiveCPU.snapshot(cpu: 0, source: .devCPU)
        } catch {
            throw XCTSkip("/dev/cpu/0/cpuid is not usable here: \(error)")
        }
        XCTAssertEqual(devCPU, try LiveCPU.snapshot(cpu: 0, source: .instruction))
    }

    func testEveryOnlineCPUIsDumpedAndTheThreadAffinityIsRestored() throws {
        try requireInstruction()
        let before = Self.allowedCPUs()
        let online = try LiveCPU.onlineCPUs()
        let dump = try LiveCPU.dump(cpus: nil)
        XCTAssertEqual(dump.cpus.map(\.number), online)
        XCTAssertEqual(dump.origin, .instruction)
        XCTAssertEqual(Self.allowedCPUs(), before, "the calling thread's affinity is put back")
        for cpu in dump.cpus {
            XCTAssertEqual(cpu.snapshot.vendor, dump.first.vendor)
            // Leaf 1 EBX[31:24] is the initial APIC ID, different on every CPU of one machine.
            if online.count > 1, cpu.number != dump.cpus[0].number {
                XCTAssertNotEqual(cpu.snapshot.read(CPUIDField(1, 0, .ebx, bits: 31, 24)),
                                  dump.first.read(CPUIDField(1, 0, .ebx, bits: 31, 24)), "CPU \(cpu.number) ran on its own core")
            }
        }
    }

    func testOfflineCPUIsATypedError() throws {
        try requireInstruction()
        XCTAssertThrowsError(try LiveCPU.snapshot(cpu: 100_000)) { error in
            guard case .cpuNotOnline(100_000, _) = error as? LiveSourceError else { return XCTFail("\(error)") }
        }
        XCTAssertTrue(LiveSourceError.devCPUMissing(path: "/dev/cpu/0/cpuid").description.contains("modprobe cpuid"))
        XCTAssertTrue(LiveSourceError.devCPUPermission(path: "/dev/cpu/0/cpuid").description.contains("root"))
    }

    /// The calling thread's allowed CPUs, from /proc/thread-self/status.
    static func allowedCPUs() -> String? {
        guard let status = try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }.map(String.init)
    }
}
