import CPUID
import Foundation

// `vcpuid decode --all-cpus` versus Debian's `cpuid -f` on the same 1,000-CPU `cpuid -r` file, whole
// processes side by side, output to /dev/null. The goal: vcpuid takes at most half of cpuid's wall time.
// Needs a release build of vcpuid (`swift build -c release` at the repository root) and `cpuid` in PATH.

let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let root = benchmarks.deletingLastPathComponent()
let vcpuid = root.appendingPathComponent(".build/release/vcpuid").path
let cpuCount = 1_000
let runs = 5

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

guard FileManager.default.isExecutableFile(atPath: vcpuid) else {
    fail("no release build at \(vcpuid); run `swift build -c release` in \(root.path) first")
}
let cpuid = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
    .map { "\($0)/cpuid" }.first { FileManager.default.isExecutableFile(atPath: $0) }
guard let cpuid else { fail("cpuid is not installed (apt-get install cpuid)") }

// 1,000 real CPUs: CPU 0 of each corpus dump, repeated in order; the decoder fixtures when there is no corpus.
var snapshots: [Snapshot] = []
let corpus = root.appendingPathComponent("../shared/corpus/libcpuid").standardizedFileURL
if let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
    let files = walker.compactMap { $0 as? URL }
        .filter { $0.pathExtension == "test" && !$0.path.contains("/arm/") }
        .sorted { $0.path < $1.path }
    for file in files {
        if let dump = try? DumpReader.read(path: file.path), let first = dump.cpus.first {
            snapshots.append(first.snapshot)
        }
    }
}
if snapshots.isEmpty {
    for name in ["amd-epyc-genoa-kvm.raw", "intel-core-i3-1220p.raw"] {
        let path = root.appendingPathComponent("Tests/Fixtures/decoders/\(name)").path
        guard let dump = try? DumpReader.read(path: path) else { fail("cannot read \(path)") }
        snapshots.append(dump.first)
    }
}
let cpus = (0..<cpuCount).map { LogicalCPU(number: $0, snapshot: snapshots[$0 % snapshots.count]) }
let file = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-decode-bench-\(getpid()).raw")
let text: String
do { text = try DumpWriter.render(Dump(cpus: cpus, origin: .model("benchmark")), as: .cpuidRaw) } catch {
    fail("\(error)")
}
try text.write(to: file, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(at: file) }

/// Wall time of one whole process, its output thrown away.
func time(_ program: String, _ arguments: [String]) -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = DispatchTime.now().uptimeNanoseconds
    do { try process.run() } catch { fail("cannot run \(program): \(error)") }
    process.waitUntilExit()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    if process.terminationStatus != 0 { fail("\(program) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
    return seconds
}

func outputLines(_ program: String, _ arguments: [String]) -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { fail("cannot run \(program): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
}

let ours = [vcpuid, "decode", file.path, "--all-cpus"]
let theirs = [cpuid, "-f", file.path]
var vcpuidTimes: [Double] = []
var cpuidTimes: [Double] = []
for _ in 0..<runs {
    cpuidTimes.append(time(theirs[0], Array(theirs.dropFirst())))
    vcpuidTimes.append(time(ours[0], Array(ours.dropFirst())))
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let ratio = median(vcpuidTimes) / median(cpuidTimes)
print("input: \(cpuCount) CPUs (\(snapshots.count) distinct), \(text.utf8.count / 1024) KiB of cpuid -r text")
print("output lines: vcpuid decode \(outputLines(ours[0], Array(ours.dropFirst()))), cpuid -f \(outputLines(theirs[0], Array(theirs.dropFirst())))")
print(String(format: "cpuid -f                 median %.3f s  (runs: %@)", median(cpuidTimes),
             cpuidTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")))
print(String(format: "vcpuid decode --all-cpus median %.3f s  (runs: %@)", median(vcpuidTimes),
             vcpuidTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")))
print(String(format: "ratio vcpuid/cpuid: %.3f (goal: at most 0.5) -> %@", ratio, ratio <= 0.5 ? "met" : "NOT met"))
exit(ratio <= 0.5 ? 0 : 1)
