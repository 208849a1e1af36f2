// Whole-process wall time of `vcpuid qemu models --json`: cold (an empty cache directory each run, so QEMU is
// started and asked over QMP) and warm (the cache file is read). Issue 14's targets: cold < 5 s, warm < 50 ms.
// Run: swift run -c release --package-path Benchmarks QEMUModels <vcpuid> [runs] [qemu]
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: QEMUModels <path to vcpuid> [runs] [qemu binary]")
    exit(2)
}
let runs = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 20) : 20
let qemu = arguments.count > 3 ? arguments[3] : "/usr/bin/qemu-system-x86_64"

/// Runs the program with its output discarded and XDG_CACHE_HOME set; returns the wall time in milliseconds.
/// posix_spawn + waitpid, because Foundation's Process polls for exit and would add its own latency.
func wallTime(_ path: String, _ args: [String], cache: String) throws -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    setenv("XDG_CACHE_HOME", cache, 1)
    var pid: pid_t = 0
    let start = ContinuousClock.now
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw NSError(domain: "QEMUModels", code: Int(spawned),
                      userInfo: [NSLocalizedDescriptionKey: "cannot start \(path): errno \(spawned)"])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let elapsed = ContinuousClock.now - start
    guard status == 0 else {
        throw NSError(domain: "QEMUModels", code: Int(status),
                      userInfo: [NSLocalizedDescriptionKey: "\(path) exited with status \(status)"])
    }
    return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
}

do {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-qemu-models-bench-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    var cold: [Double] = []
    var warm: [Double] = []
    let command = ["qemu", "models", "--json", "--qemu", qemu]
    for run in 0..<runs {
        let cache = "\(root)/\(run)"
        cold.append(try wallTime(arguments[1], command, cache: cache))
        warm.append(try wallTime(arguments[1], command, cache: cache))
    }
    cold.sort()
    warm.sort()
    print(String(format: "cold (QEMU over QMP, then cached): median %.1f ms, min %.1f ms, max %.1f ms", cold[runs / 2], cold[0], cold[runs - 1]))
    print(String(format: "warm (cache file):                 median %.1f ms, min %.1f ms, max %.1f ms", warm[runs / 2], warm[0], warm[runs - 1]))
} catch {
    print("QEMUModels: \(error)")
    exit(1)
}
