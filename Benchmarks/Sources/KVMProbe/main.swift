// One full guest probe run in process (VM + vCPU + KVM_SET/GET_CPUID2 + guest run + comparison),
// repeated; prints the median next to Benchmarks/c/kvm_probe doing the same ioctls and guest.
// Run: swift run -c release --package-path Benchmarks KVMProbe [runs] [path-to-c-kvm_probe]
import Foundation
import KVM

let arguments = CommandLine.arguments
let runs = arguments.count > 1 ? max(1, Int(arguments[1]) ?? 200) : 200
let cProgram = arguments.count > 2 ? arguments[2] : nil

do {
    let kvm = try KVMSystem()
    let table = try kvm.supportedCPUID()
    let probe = GuestProbe(table: table)
    _ = try probe.run(using: kvm)
    var times: [Double] = []
    var mismatches = 0
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let start = clock.now
        let result = try probe.run(using: kvm)
        let elapsed = clock.now - start
        mismatches += result.comparison.mismatches.count
        times.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    times.sort()
    let median = times[times.count / 2]
    print(String(format: "Swift GuestProbe: %d probes, %d runs, median %.1f us, min %.1f us, mismatches %d",
                 probe.targets.count, runs, median, times[0], mismatches))
    if let cProgram {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cProgram)
        process.arguments = [String(runs)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(output, terminator: "")
        if let range = output.range(of: "median "), let value = Double(output[range.upperBound...].prefix { $0 != " " }) {
            print(String(format: "ratio Swift/C (median): %.2f", median / value))
        }
    }
} catch {
    print("KVMProbe: \(error)")
    exit(1)
}
