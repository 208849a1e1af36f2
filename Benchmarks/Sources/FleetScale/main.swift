import CPUID
import Fleet
import Foundation

// Issue 13's scale targets, measured on the release executables as users run them:
//   - `vcpuid baseline` over 10,000 and 100,000 dump files (cpuid -r text): dumps/s and peak RSS (flat);
//   - `vcpuid fleet add` of the 100,000 files: dumps/s; `fleet baseline` over them; `fleet lacks avx512f`.
// The inputs are synthetic variations of real corpus dumps (Intel x86-64 from ../shared/corpus/libcpuid,
// else the fleet fixtures): each copy clears a few feature bits chosen by a seeded generator and carries its
// own brand string, so that no two are equal.
//
//   swift build -c release                                   (the executables measured)
//   swift run -c release --package-path Benchmarks FleetScale [count] [format raw|json]

let arguments = CommandLine.arguments
let total = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let format: DumpFormat = arguments.count > 2 && arguments[2] == "json" ? .json : .cpuidRaw
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let release = repository.appendingPathComponent(".build/release")

/// Runs a command, returning wall seconds and the child's peak resident set in bytes.
///
/// posix_spawn clones this (large) process's address space until exec, and Linux carries that address space's
/// high-water mark into the child's ru_maxrss, so the child is started by GNU time (a small process that forks
/// it) and its peak read from time's report; without /usr/bin/time the inflated ru_maxrss is all there is.
func measure(_ executable: URL, _ args: [String]) -> (seconds: Double, peak: Int, status: Int32, output: String) {
    let start = Date()
    var pid: pid_t = 0
    let gnuTime = "/usr/bin/time"
    let peakPath = NSTemporaryDirectory() + "fleetscale-\(getpid()).peak"
    let wrapped = FileManager.default.isExecutableFile(atPath: gnuTime)
    let path = wrapped ? gnuTime : executable.path
    let command = wrapped ? ["-f", "%M", "-o", peakPath, executable.path] + args : args
    var argv: [UnsafeMutablePointer<CChar>?] = ([path] + command).map { strdup($0) } + [nil]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    let outputPath = NSTemporaryDirectory() + "fleetscale-\(getpid()).out"
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard posix_spawn(&pid, path, &actions, nil, &argv, environ) == 0 else { fatalError("cannot run \(path)") }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Date().timeIntervalSince(start)
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let reported = (try? String(contentsOfFile: peakPath, encoding: .utf8))?
        .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    return (seconds, (reported ?? usage.ru_maxrss) * 1024, (status >> 8) & 0xff, output)
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

// Bases: real Intel x86-64 dumps.
var bases: [Snapshot] = []
let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid/intel/x86-64")
if let walker = FileManager.default.enumerator(atPath: corpus.path) {
    for case let name as String in walker where name.hasSuffix(".test") {
        if let snapshot = try? DumpReader.read(path: corpus.appendingPathComponent(name).path).first,
           snapshot.vendor == "GenuineIntel", snapshot.maxBasicLeaf >= 7 {
            bases.append(snapshot)
        }
    }
}
if bases.isEmpty {
    for name in ["skylake-x-i9-10980xe", "comet-lake-i7-10700k", "haswell-i7-4770", "ice-lake-i7-1065g7"] {
        bases.append(try DumpReader.read(path: repository.appendingPathComponent("Tests/Fixtures/fleet/\(name).cpuid").path).first)
    }
}
print("bases: \(bases.count) real Intel dumps; generating \(total) variations as \(format)")

let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vcpuid-fleetscale-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
/// xorshift64: the same variations on every run.
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
var random = Generator()
let named = FeatureBits.shared.all
var paths: [String] = []
paths.reserveCapacity(total)
let generationStart = Date()
for i in 0..<total {
    var snapshot = bases[i % bases.count]
    for _ in 0..<Int(random.next() % 4) {
        let bit = named[Int(random.next() % UInt64(named.count))]
        let f = bit.field
        if snapshot.entry(f.leaf, f.subleaf) != nil {
            snapshot.set(f.leaf, f.subleaf, f.register, to: snapshot.value(f.leaf, f.subleaf, f.register) & ~f.mask)
        }
    }
    if snapshot.entry(0x8000_0004) != nil { snapshot.set(0x8000_0004, 0, .edx, to: UInt32(i)) }
    let path = folder.appendingPathComponent(String(format: "host-%06d.%@", i, format == .json ? "json" : "cpuid")).path
    try DumpWriter.render(Dump(snapshot: snapshot, origin: .model("FleetScale")), as: format).write(toFile: path, atomically: false, encoding: .utf8)
    paths.append(path)
}
print(String(format: "generated in %.1f s", Date().timeIntervalSince(generationStart)))

let vcpuid = release.appendingPathComponent("vcpuid")
let fleet = release.appendingPathComponent("vcpuid-fleet")
var results: [(String, String)] = []
for count in [total / 10, total] {
    let list = folder.appendingPathComponent("list-\(count).txt").path
    try paths.prefix(count).joined(separator: "\n").write(toFile: list, atomically: false, encoding: .utf8)
    // Once to warm the page cache, then measured.
    _ = measure(vcpuid, ["baseline", "--files-from", list])
    let run = measure(vcpuid, ["baseline", "--files-from", list])
    precondition(run.status == 0, "baseline failed")
    results.append(("baseline over \(count) dumps", String(format: "%.2f s, %.0f dumps/s, peak RSS %@", run.seconds,
                                                                 Double(count) / run.seconds, megabytes(run.peak))))
}

let database = folder.appendingPathComponent("fleet.sqlite").path
let list = folder.appendingPathComponent("list-\(total).txt").path
let add = measure(fleet, ["add", "--db", database, "--files-from", list, "--batch", "5000"])
precondition(add.status == 0, "fleet add failed")
results.append(("fleet add of \(total) dumps", String(format: "%.2f s, %.0f dumps/s, peak RSS %@", add.seconds,
                                                      Double(total) / add.seconds, megabytes(add.peak))))
let fleetBaseline = measure(fleet, ["baseline", "--db", database])
precondition(fleetBaseline.status == 0, "fleet baseline failed")
results.append(("fleet baseline over \(total) hosts", String(format: "%.2f s, peak RSS %@", fleetBaseline.seconds, megabytes(fleetBaseline.peak))))
let lacks = measure(fleet, ["lacks", "--db", database, "avx512f"])
results.append(("fleet lacks avx512f over \(total) hosts", String(format: "%.0f ms (%d hosts lack it)", lacks.seconds * 1000,
                                                                   lacks.output.split(separator: "\n").count)))
for (what, result) in results { print("\(what): \(result)") }
