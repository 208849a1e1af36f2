import CPUID
import Fleet
import Foundation

// Issue 15's size and speed targets, measured on the release executable as users run it:
//   - `vcpuid report --html OUT DUMP` of 1-CPU dumps: under 300 KB and under 100 ms (whole process);
//   - `vcpuid baseline --files-from LIST --html OUT` over 1,000 hosts: the heat map under 2 MB;
//   - `vcpuid sgx simulate` of example (a) (a 10,000-iteration repeat) with --html: the file's size.
// Dumps: 1-CPU libcpuid dumps from ../shared/corpus/libcpuid (x86-64, Intel and AMD), else the fixtures.
// The 1,000 hosts are variations of the Intel ones (as FleetScale makes them: a few feature bits cleared
// per copy by a seeded generator), so that many features are lost and many hosts lose them.
//
//   swift build -c release                                   (the executable measured)
//   swift run -c release --package-path Benchmarks HTMLReports [hosts]

let hostCount = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000 : 1_000
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let vcpuid = repository.appendingPathComponent(".build/release/vcpuid")
let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vcpuid-htmlreports-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { if ProcessInfo.processInfo.environment["KEEP"] == nil { try? FileManager.default.removeItem(at: folder) } else { print("kept \(folder.path)") } }

/// CPU seconds (user + system) of every child waited for so far.
func childCPU() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Runs vcpuid, returning wall seconds, CPU seconds and its exit status.
func time(_ args: [String]) -> (seconds: Double, cpu: Double, status: Int32) {
    let cpuBefore = childCPU()
    let process = Process()
    process.executableURL = vcpuid
    process.arguments = args
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = Date()
    try! process.run()
    process.waitUntilExit()
    return (Date().timeIntervalSince(start), childCPU() - cpuBefore, process.terminationStatus)
}

func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

// 1. The chain report of 1-CPU dumps.
var dumps: [String] = []
let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid")
for vendor in ["intel", "amd"] {
    let root = corpus.appendingPathComponent("\(vendor)/x86-64")
    let names = ((FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String]) ?? [])
        .filter { $0.hasSuffix(".test") }.sorted()
    // Every 10th, for a spread of generations.
    dumps += stride(from: 0, to: names.count, by: 10).map { root.appendingPathComponent(names[$0]).path }
}
dumps.append(repository.appendingPathComponent("Tests/Fixtures/sgx/aex-notify-capable.cpuid").path)
var sizes: [Int] = []
var medians: [Double] = []
var cpuMedians: [Double] = []
for dump in dumps {
    let out = folder.appendingPathComponent("report.html").path
    _ = time(["report", "--html", out, dump])  // warm the page cache
    var runs: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<5 {
        let run = time(["report", "--html", out, dump])
        precondition(run.status == 0, "report --html \(dump) failed")
        runs.append(run.seconds)
        cpu.append(run.cpu)
    }
    medians.append(median(runs))
    cpuMedians.append(median(cpu))
    sizes.append(size(out))
}
print(String(format: "report --html of %d 1-CPU dumps: size %.0f–%.0f KB; whole process, wall: median of medians %.1f ms, slowest median %.1f ms; CPU (user+sys): median %.1f ms, slowest %.1f ms",
             dumps.count, Double(sizes.min()!) / 1024, Double(sizes.max()!) / 1024,
             median(medians) * 1000, medians.max()! * 1000, median(cpuMedians) * 1000, cpuMedians.max()! * 1000))

// 2. The heat map of 1,000 hosts.
var bases: [Snapshot] = []
let intel = corpus.appendingPathComponent("intel/x86-64")
for case let name as String in (FileManager.default.enumerator(atPath: intel.path)?.allObjects ?? []) where name.hasSuffix(".test") {
    if let snapshot = try? DumpReader.read(path: intel.appendingPathComponent(name).path).first,
       snapshot.vendor == "GenuineIntel", snapshot.maxBasicLeaf >= 7 {
        bases.append(snapshot)
    }
}
if bases.isEmpty {
    for name in ["skylake-x-i9-10980xe", "comet-lake-i7-10700k", "haswell-i7-4770", "ice-lake-i7-1065g7"] {
        bases.append(try DumpReader.read(path: repository.appendingPathComponent("Tests/Fixtures/fleet/\(name).cpuid").path).first)
    }
}
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
for i in 0..<hostCount {
    var snapshot = bases[i % bases.count]
    for _ in 0..<Int(random.next() % 4) {
        let f = named[Int(random.next() % UInt64(named.count))].field
        if snapshot.entry(f.leaf, f.subleaf) != nil {
            snapshot.set(f.leaf, f.subleaf, f.register, to: snapshot.value(f.leaf, f.subleaf, f.register) & ~f.mask)
        }
    }
    let path = folder.appendingPathComponent(String(format: "host-%04d.cpuid", i)).path
    try DumpWriter.render(Dump(snapshot: snapshot, origin: .model("HTMLReports")), as: .cpuidRaw)
        .write(toFile: path, atomically: false, encoding: .utf8)
    paths.append(path)
}
let list = folder.appendingPathComponent("hosts.txt").path
try paths.joined(separator: "\n").write(toFile: list, atomically: false, encoding: .utf8)
let heatMap = folder.appendingPathComponent("fleet.html").path
_ = time(["baseline", "--files-from", list])
let plain = time(["baseline", "--files-from", list])
let drawn = time(["baseline", "--files-from", list, "--html", heatMap])
precondition(drawn.status == 0, "baseline --html failed")
let html = try String(contentsOfFile: heatMap, encoding: .utf8)
let lost = html.components(separatedBy: "<tr><td><b>").count - 1
let rows = html.components(separatedBy: "<tr><th class=h>").count - 1
print(String(format: "baseline --html over %d hosts (%d real bases): %.0f KB, %d lost features, %d host rows; %.2f s (%.2f s without --html)",
             hostCount, bases.count, Double(size(heatMap)) / 1024, lost, rows, drawn.seconds, plain.seconds))

// 3. The timeline of a 10,000-iteration repeat.
let timeline = folder.appendingPathComponent("timeline.html").path
let simulate = time(["sgx", "simulate", repository.appendingPathComponent("Examples/sgx/a-sdk-two-stage-handler.sgx").path,
                     "--html", timeline])
precondition(simulate.status == 0, "sgx simulate --html failed")
print(String(format: "sgx simulate --html of example (a), 90,012 operations: %.1f KB in %.0f ms", Double(size(timeline)) / 1024,
             simulate.seconds * 1000))
