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
let runs = 9

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

/// Wall time and CPU time (user + system) of one whole process, its output thrown away.
func time(_ program: String, _ arguments: [String]) -> (wall: Double, cpu: Double) {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { fail("cannot run \(program)") }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { fail("wait4 failed for \(program)") }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    if status != 0 { fail("\(program) \(arguments.joined(separator: " ")) exited with status \(status)") }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return (wall, seconds(usage.ru_utime) + seconds(usage.ru_stime))
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
var vcpuidTimes: [(wall: Double, cpu: Double)] = []
var cpuidTimes: [(wall: Double, cpu: Double)] = []
for _ in 0..<runs {
    cpuidTimes.append(time(theirs[0], Array(theirs.dropFirst())))
    vcpuidTimes.append(time(ours[0], Array(ours.dropFirst())))
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let ratio = median(vcpuidTimes.map(\.wall)) / median(cpuidTimes.map(\.wall))
let cpuRatio = median(vcpuidTimes.map(\.cpu)) / median(cpuidTimes.map(\.cpu))
var load = [Double](repeating: 0, count: 3)
_ = getloadavg(&load, 3)
print("input: \(cpuCount) CPUs (\(snapshots.count) distinct), \(text.utf8.count / 1024) KiB of cpuid -r text")
print("output lines: vcpuid decode \(outputLines(ours[0], Array(ours.dropFirst()))), cpuid -f \(outputLines(theirs[0], Array(theirs.dropFirst())))")
print(String(format: "machine: %d CPUs online, load average %.2f (1 min)", sysconf(Int32(_SC_NPROCESSORS_ONLN)), load[0]))
for (name, times) in [("cpuid -f                ", cpuidTimes), ("vcpuid decode --all-cpus", vcpuidTimes)] {
    print(String(format: "%@  wall median %.3f s (runs %@)  cpu median %.3f s", name, median(times.map(\.wall)),
                 times.map { String(format: "%.3f", $0.wall) }.joined(separator: " "), median(times.map(\.cpu))))
}
print(String(format: "ratio vcpuid/cpuid: wall %.3f (goal: at most 0.5) -> %@; cpu time %.3f", ratio,
             ratio <= 0.5 ? "met" : "NOT met", cpuRatio))
exit(ratio <= 0.5 ? 0 : 1)
