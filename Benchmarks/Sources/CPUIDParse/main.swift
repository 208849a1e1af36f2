import CPUID
import Foundation

// Parses generated 10,000-CPU dumps (cpuid -r and AIDA64 text) and reports dumps/s, MB/s and the
// parsing process's peak resident memory against the input size. Each measurement runs in a child
// process of its own, so that generating the input does not count towards the parser's peak memory.
//
//   swift run -c release --package-path Benchmarks CPUIDParse            all measurements
//   CPUIDParse parse <file> <raw|aida> <repeats>                           one child measurement
//
// The process comparison uses .build-static/release/vcpuid when present
// (`swift build -c release --static-swift-stdlib --scratch-path .build-static`), else .build/release/vcpuid.

/// Peak resident set size of this process (VmHWM), in bytes.
func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kib * 1024
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The MSR section each generated CPU carries (AIDA64 and JSON write it; `cpuid -r` has no place for it):
/// a real report's feature and platform MSRs, one of them a read that faulted.
let msrSection: [MSR] = [
    MSR(0x17, .value(0)), MSR(0x1B, .value(0xFEE0_0900)), MSR(0x3A, .value(5)), MSR(0x48, .faulted),
    MSR(0x8B, .value(0x0000_0100_0000_0000)), MSR(0xCE, .value(0x0004_0000_8108_1300)), MSR(0x10A, .value(0x0C0A_0CEB)),
    MSR(0x122, .value(0)), MSR(0x199, .value(0x1D00)), MSR(0x1A0, .value(0x0085_0089)), MSR(0x345, .value(0x33C5)),
    MSR(0x606, .value(0x000A_0E03)),
]

/// A dump of `count` CPUs that differ in their APIC IDs, as the CPUs of one machine do, each with an MSR section.
func generate(count: Int, from snapshot: Snapshot) -> Dump {
    var cpus: [LogicalCPU] = []
    cpus.reserveCapacity(count)
    for n in 0..<count {
        var s = snapshot
        s.set(1, 0, .ebx, to: (snapshot.value(1, 0, .ebx) & 0x00ff_ffff) | UInt32(n & 0xff) << 24)
        if s.entry(0xB, 0) != nil { s.set(0xB, 0, .edx, to: UInt32(n)) }
        for msr in msrSection { s.setMSR(msr) }
        cpus.append(LogicalCPU(number: n, snapshot: s))
    }
    return Dump(cpus: cpus, origin: .model("benchmark"))
}

/// Reads a file straight into one byte array (no intermediate Data), as DumpReader.read does.
func readWholeFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fatalError("cannot open \(path)") }
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let size = Int(info.st_size)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            guard n > 0 else { break }
            done += n
        }
        count = done
    }
}

func runChild(_ arguments: [String]) -> [String: Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var result: [String: Double] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let parts = line.split(separator: "=")
        if parts.count == 2, let v = Double(parts[1]) { result[String(parts[0])] = v }
    }
    return result
}

/// Wall time of whole processes (posix_spawn to waitpid, output to /dev/null): best and median of `runs` runs.
func timeProcess(_ path: String, _ arguments: [String], runs: Int) -> (best: Double, median: Double)? {
    var times: [Double] = []
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    for _ in 0..<runs {
        var pid: pid_t = 0
        let start = now()
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        times.append(now() - start)
        guard status == 0 else { return nil }
    }
    times.sort()
    return (times[0], times[times.count / 2])
}

let arguments = CommandLine.arguments
if arguments.count == 5, arguments[1] == "parse" {
    // Child: read the file, parse it `repeats` times, report the best time and peak memory.
    let path = arguments[2]
    let format: DumpFormat = arguments[3] == "aida" ? .aida : .cpuidRaw
    let repeats = Int(arguments[4]) ?? 3
    var best = Double.infinity
    var cpus = 0
    var entries = 0
    var msrs = 0
    for _ in 0..<repeats {
        let start = now()
        let bytes = readWholeFile(path)
        let dump: Dump
        do {
            dump = try DumpReader.parse(bytes: bytes, name: path, format: format)
        } catch {
            fatalError("\(error)")
        }
        best = min(best, now() - start)
        cpus = dump.cpus.count
        entries = dump.cpus.reduce(0) { $0 + $1.snapshot.count }
        msrs = dump.cpus.reduce(0) { $0 + $1.snapshot.msrs.count }
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("seconds=\(best)")
    print("cpus=\(cpus)")
    print("entries=\(entries)")
    print("msrs=\(msrs)")
    print("bytes=\(size)")
    print("peak=\(peakResidentBytes())")
    exit(0)
}

let count = 10_000
let base: Snapshot
do {
    base = try LiveCPU.snapshot(cpu: 0)
} catch {
    fatalError("cannot read this machine's CPUID: \(error)")
}
let dump = generate(count: count, from: base)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-bench-\(getpid())")
try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
print("Parsing \(count) CPUs of \(base.count) entries each (this machine's CPU 0, APIC IDs varied), with a \(msrSection.count)-MSR section per CPU in AIDA64; best of 3, release build, one core")
print("format   size (MB)   time (s)   dumps/s    MB/s    peak RSS (MB)   RSS/size")
for (name, format) in [("raw", DumpFormat.cpuidRaw), ("aida", .aida)] {
    let path = folder.appendingPathComponent("\(name).txt").path
    do {
        try DumpWriter.render(dump, as: format).write(toFile: path, atomically: false, encoding: .utf8)
    } catch {
        fatalError("cannot write \(path): \(error)")
    }
    let r = runChild(["parse", path, name, "3"])
    let seconds = r["seconds"] ?? .nan
    let bytes = r["bytes"] ?? .nan
    let peak = r["peak"] ?? .nan
    guard Int(r["cpus"] ?? 0) == count else { fatalError("\(name): the child parsed \(r["cpus"] ?? 0) CPUs, expected \(count)") }
    if format == .aida, Int(r["msrs"] ?? 0) != count * msrSection.count {
        fatalError("aida: the child read \(r["msrs"] ?? 0) MSRs, expected \(count * msrSection.count)")
    }
    print(String(format: "%-6@   %9.1f   %8.3f   %7.0f   %5.0f   %13.1f   %8.2f",
                 name as NSString, bytes / 1e6, seconds, Double(count) / seconds, bytes / 1e6 / seconds, peak / 1e6, peak / bytes))
}

// The live walk alone, in process: what `vcpuid dump` spends beyond starting up.
do {
    let rounds = 200
    let start = now()
    var entries = 0
    for _ in 0..<rounds { entries += (try LiveCPU.snapshot(cpu: 0)).count }
    let each = (now() - start) / Double(rounds)
    print(String(format: "\nLive walk of CPU 0 in process (pin, %d CPUID executions, restore): %.3f ms", entries / rounds, each * 1e3))
    let unpinnedStart = now()
    for _ in 0..<rounds { entries += Enumeration.walk { (key: LeafKey) in CPUIDInstruction.execute(key.leaf, key.subleaf) }.count }
    let unpinned = (now() - unpinnedStart) / Double(rounds)
    print(String(format: "The same walk without pinning (wherever the thread runs): %.3f ms", unpinned * 1e3))
} catch {
    print("live walk: \(error)")
}

// Whole-process wall time: `vcpuid dump` of the live CPU against `cpuid -1 -r`.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let staticBuild = root.appendingPathComponent(".build-static/release/vcpuid").path
let vcpuid = FileManager.default.isExecutableFile(atPath: staticBuild) ? staticBuild : root.appendingPathComponent(".build/release/vcpuid").path
let cpuid = "/usr/bin/cpuid"
guard FileManager.default.isExecutableFile(atPath: vcpuid), FileManager.default.isExecutableFile(atPath: cpuid) else {
    print("live dump vs cpuid: skipped (needs \(vcpuid) from `swift build -c release` and \(cpuid) from `apt-get install cpuid`)")
    exit(0)
}
let runs = 50
if let ours = timeProcess(vcpuid, ["dump", "--cpu", "0"], runs: runs),
   let theirs = timeProcess("/usr/bin/taskset", ["-c", "0", cpuid, "-1", "-r"], runs: runs),
   let direct = timeProcess(cpuid, ["-1", "-r"], runs: runs) {
    print("\nWhole process, \(runs) runs each    best (ms)   median (ms)    (\(vcpuid))")
    print(String(format: "vcpuid dump --cpu 0              %8.2f   %10.2f", ours.best * 1e3, ours.median * 1e3))
    print(String(format: "taskset -c 0 cpuid -1 -r         %8.2f   %10.2f", theirs.best * 1e3, theirs.median * 1e3))
    print(String(format: "cpuid -1 -r                      %8.2f   %10.2f", direct.best * 1e3, direct.median * 1e3))
    print(String(format: "ratio vcpuid / cpuid -1 -r: %.2f (best), %.2f (median)", ours.best / direct.best, ours.median / direct.median))
}
