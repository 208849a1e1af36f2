import Foundation
import SGX

// Measures the enclave-thread explorer: transitions per second over every configuration of
// `vcpuid sgx explore --all-configs` at depth 12, and the peak resident memory (VmHWM).
// Usage: swift run -c release --package-path Benchmarks SGXExplore [depth] [rounds]

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let depth = arguments.first ?? 12
let rounds = arguments.count > 1 ? arguments[1] : 3

func peakResidentKiB() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "")
    }
    return nil
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// CPU time of this thread: on a shared machine, wall time counts other processes' turns too.
func cpuNow() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

print("SGXExplore: depth \(depth), \(rounds) rounds, every configuration for NSSA 1...4")
var best = 0.0
for round in 1...rounds {
    var transitions = 0
    var states = 0
    var violations = 0
    var slowest = 0.0
    let start = now()
    let cpuStart = cpuNow()
    for nssa: UInt32 in 1...4 {
        for configuration in SGXExplorer.allConfigurations(nssa: nssa) {
            let t0 = now()
            let result = SGXExplorer(depth: depth, nssa: nssa).explore(configuration)
            slowest = max(slowest, Double(now() - t0) / 1e9)
            transitions += result.transitions
            states += result.states
            violations += result.counterexamples.count
        }
    }
    let seconds = Double(now() - start) / 1e9
    let cpuSeconds = Double(cpuNow() - cpuStart) / 1e9
    let rate = Double(transitions) / seconds
    let cpuRate = Double(transitions) / cpuSeconds
    best = max(best, cpuRate)
    print("round \(round): 64 configurations, \(states) states, \(transitions) transitions in \(String(format: "%.3f", seconds)) s wall"
          + " (\(Int(rate))/s), \(String(format: "%.3f", cpuSeconds)) s CPU (\(Int(cpuRate)) transitions per CPU second);"
          + " slowest configuration \(String(format: "%.3f", slowest)) s wall; violations \(violations)")
}

// Scenario throughput: the two-stage handler loop of Examples/sgx (a), 100,000 iterations.
let scenarioText = """
    eenter
    set ssa[0].aexnotify=1
    repeat 100000 { aex; eresume; aex; eresume; set ssa[0].aexnotify=0; edeccssa; aex; eresume; set ssa[0].aexnotify=1 }
    expect cssa=0 maxcssa=2
    """
let scenario = try ScenarioParser.parse(scenarioText, name: "benchmark")
let t0 = now()
let run = ScenarioRunner().run(scenario)
let scenarioSeconds = Double(now() - t0) / 1e9
print("scenario: \(run.operations) operations in \(String(format: "%.3f", scenarioSeconds)) s = \(Int(Double(run.operations) / scenarioSeconds)) operations/s, passed \(run.passed)")
print("best explorer rate: \(Int(best)) transitions per CPU second")
print("peak resident memory (VmHWM): \(peakResidentKiB().map { "\($0) KiB" } ?? "unknown")")
