// One full guest probe run in process (VM + vCPU + KVM_SET/GET_CPUID2 + guest run + comparison), next to
// Benchmarks/c/kvm_probe doing the same ioctls and the same guest. The two alternate in blocks so that both
// see the same machine load; the medians over all runs are compared.
// Run: Benchmarks/c/build.sh && swift run -c release --package-path Benchmarks KVMProbe [blocks] [runs-per-block] [c-kvm_probe]
import Foundation
import KVM

let arguments = CommandLine.arguments
let blocks = arguments.count > 1 ? max(1, Int(arguments[1]) ?? 10) : 10
let perBlock = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 30) : 30
let cProgram = arguments.count > 3 ? arguments[3] : nil

/// Runs the C reference for `runs` runs and returns its per-run times in microseconds.
func cTimes(_ path: String, runs: Int) throws -> [Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = [String(runs), "-v"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return output.split(separator: "\n").compactMap { line in
        line.hasPrefix("run ") ? Double(line.dropFirst(4)) : nil
    }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

do {
    let kvm = try KVMSystem()
    let table = try kvm.supportedCPUID()
    let probe = GuestProbe(table: table)
    _ = try probe.run(using: kvm)
    var swift: [Double] = []
    var c: [Double] = []
    var mismatches = 0
    let clock = ContinuousClock()
    for _ in 0..<blocks {
        for _ in 0..<perBlock {
            let start = clock.now
            let result = try probe.run(using: kvm)
            let elapsed = clock.now - start
            mismatches += result.comparison.mismatches.count
            swift.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
        }
        if let cProgram { c += try cTimes(cProgram, runs: perBlock) }
    }
    print(String(format: "Swift GuestProbe: %d probes, %d runs, median %.1f us, min %.1f us, mismatches %d",
                 probe.targets.count, swift.count, median(swift), swift.min() ?? 0, mismatches))
    if !c.isEmpty {
        print(String(format: "C kvm_probe:      %d probes, %d runs, median %.1f us, min %.1f us",
                     probe.targets.count, c.count, median(c), c.min() ?? 0))
        print(String(format: "ratio Swift/C: median %.2f, min %.2f", median(swift) / median(c), (swift.min() ?? 0) / (c.min() ?? 1)))
    }
} catch {
    print("KVMProbe: \(error)")
    exit(1)
}
