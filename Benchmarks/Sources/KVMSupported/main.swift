// Whole-process wall time of `vcpuid kvm supported --format raw` next to Benchmarks/c/kvm_supported,
// alternating the two so that both see the same machine state; prints both medians and their ratio.
// Run: swift run -c release --package-path Benchmarks KVMSupported <vcpuid> <c-kvm_supported> [runs]
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: KVMSupported <path to vcpuid> <path to kvm_supported> [runs]")
    exit(2)
}
let runs = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 100) : 100

/// Runs the program to completion with its output discarded; returns the wall time in milliseconds.
func wallTime(_ path: String, _ args: [String]) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = args
    process.standardOutput = FileHandle.nullDevice
    let start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    let elapsed = ContinuousClock.now - start
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "KVMSupported", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: "\(path) exited with \(process.terminationStatus)"])
    }
    return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
}

do {
    var swift: [Double] = []
    var c: [Double] = []
    for _ in 0..<runs {
        swift.append(try wallTime(arguments[1], ["kvm", "supported", "--format", "raw"]))
        c.append(try wallTime(arguments[2], []))
    }
    swift.sort()
    c.sort()
    let swiftMedian = swift[runs / 2]
    let cMedian = c[runs / 2]
    print(String(format: "vcpuid kvm supported --format raw: median %.2f ms, min %.2f ms", swiftMedian, swift[0]))
    print(String(format: "C kvm_supported:                   median %.2f ms, min %.2f ms", cMedian, c[0]))
    print(String(format: "ratio (median): %.2f", swiftMedian / cMedian))
} catch {
    print("KVMSupported: \(error)")
    exit(1)
}
