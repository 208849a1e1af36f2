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
/// posix_spawn + waitpid, because Foundation's Process polls for exit and would add its own latency.
func wallTime(_ path: String, _ args: [String]) throws -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let start = ContinuousClock.now
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw NSError(domain: "KVMSupported", code: Int(spawned),
                      userInfo: [NSLocalizedDescriptionKey: "cannot start \(path): errno \(spawned)"])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let elapsed = ContinuousClock.now - start
    guard status == 0 else {
        throw NSError(domain: "KVMSupported", code: Int(status),
                      userInfo: [NSLocalizedDescriptionKey: "\(path) exited with status \(status)"])
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
