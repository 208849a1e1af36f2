import CPUID
import Foundation

// Parses a generated vcpuid JSON dump of 2,000 CPUs in process and reports the best time and MB/s over
// several runs, so that changes to the JSON parser (shared with Firecracker templates) can be compared.
//
//   swift run -c release --package-path Benchmarks JSONParse [cpus] [repeats]

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let cpuCount = arguments.first ?? 2000
let repeats = arguments.dropFirst().first ?? 7

// One CPU's worth of leaves, as `cpuid -r` prints them; every CPU gets its own APIC ID as real CPUs do.
var raw = "CPU 0:\n"
for leaf: UInt32 in [0, 1, 2, 4, 5, 6, 7, 0xB, 0xD, 0x12, 0x8000_0000, 0x8000_0001, 0x8000_0008] {
    for subleaf: UInt32 in leaf == 4 || leaf == 0xD || leaf == 0x12 || leaf == 0xB ? [0, 1, 2, 3] : [0] {
        raw += "   0x\(Hex.digits(leaf, count: 8)) 0x\(Hex.digits(subleaf, count: 2)): eax=0x\(Hex.digits(leaf &* 2654435761, count: 8)) ebx=0x\(Hex.digits(subleaf &+ 0x6874_7541, count: 8)) ecx=0x444d4163 edx=0x69746e65\n"
    }
}
let base = try DumpReader.parse(raw, name: "generated", format: .cpuidRaw).cpus[0].snapshot
var cpus: [LogicalCPU] = []
for n in 0..<cpuCount {
    var snapshot = base
    snapshot.set(1, 0, .ebx, to: (base.value(1, 0, .ebx) & 0x00ff_ffff) | UInt32(n & 0xff) << 24)
    cpus.append(LogicalCPU(number: n, snapshot: snapshot))
}
let json = Array(try DumpWriter.render(Dump(cpus: cpus, origin: .model("benchmark")), as: .json).utf8)

var best = Double.infinity
for _ in 0..<repeats {
    let start = now()
    let dump = try DumpReader.parse(bytes: json, name: "generated.json", format: .json)
    best = min(best, now() - start)
    precondition(dump.cpus.count == cpuCount, "the dump reads back with every CPU")
}
let megabytes = Double(json.count) / 1e6
print("JSON dump: \(cpuCount) CPUs, \(String(format: "%.1f", megabytes)) MB, best of \(repeats): "
      + "\(String(format: "%.1f", best * 1000)) ms, \(String(format: "%.0f", megabytes / best)) MB/s")
