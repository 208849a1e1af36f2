// The whole `guest verify` path, in process and as a process, next to the C reference.
//   in process: compose (base read once, as the C program reads KVM_GET_SUPPORTED_CPUID once), VM, vCPU,
//               KVM_SET/GET_CPUID2, guest run, comparison: GuestTableComposer + GuestVerification.run
//   as a process: `vcpuid guest verify` from exec to exit, next to one `kvm_probe 1` process.
// Run: swift run -c release --package-path Benchmarks GuestVerify [runs] [c kvm_probe] [vcpuid binary]
import Foundation
import KVM
import X86Features

let arguments = CommandLine.arguments
let runs = arguments.count > 1 ? max(1, Int(arguments[1]) ?? 200) : 200
let cProgram = arguments.count > 2 ? arguments[2] : nil
let vcpuidBinary = arguments.count > 3 ? arguments[3] : nil
let clock = ContinuousClock()

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Runs a program to completion and returns its wall time and standard output.
func timeProcess(_ path: String, _ args: [String]) throws -> (Double, String, Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = args
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    let start = clock.now
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (microseconds(clock.now - start), String(decoding: output, as: UTF8.self), process.terminationStatus)
}

/// Spawns a program with its output discarded and waits for it: the wall time from spawn to exit, without
/// Foundation's Process and pipe machinery in the measurement.
func spawnTime(_ path: String, _ args: [String]) -> (Double, Int32) {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = clock.now
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return (0, -1) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return (microseconds(clock.now - start), (status >> 8) & 0xff)
}

do {
    let kvm = try KVMSystem()
    // The CLI starts with the kernel-only directory; the catalogue one (QEMU names) is built on demand.
    let quickStart = clock.now
    _ = GuestFeatureTable(kernelOnly: KernelProfile.for(KernelVersion(6, 18)))
    let quick = microseconds(clock.now - quickStart)
    let firstStart = clock.now
    let directory = GuestFeatureTable(kernel: KernelProfile.for(KernelVersion(6, 18)))
    let firstDirectory = microseconds(clock.now - firstStart)
    let againStart = clock.now
    _ = GuestFeatureTable(kernel: KernelProfile.for(KernelVersion(6, 18)))
    print(String(format: "startup      feature directory: kernel-only %.1f us; catalogue %.1f us the first time (shared catalogue built), %.1f us again",
                 quick, firstDirectory, microseconds(clock.now - againStart)))
    let composer = GuestTableComposer(directory: directory)
    let base = GuestBase(kind: .live, snapshot: try kvm.supportedCPUID(), name: "KVM_GET_SUPPORTED_CPUID (live)")
    let policy = GuestPolicy()
    _ = try GuestVerification.run(try composer.compose(policy, on: base), using: kvm)

    var times: [Double] = []
    var failures = 0
    var entries = 0
    for _ in 0..<runs {
        let start = clock.now
        let composition = try composer.compose(policy, on: base)
        let verification = try GuestVerification.run(composition, using: kvm)
        times.append(microseconds(clock.now - start))
        if !verification.passed { failures += 1 }
        entries = verification.verifiedEntries
    }
    let inProcess = median(times)
    print(String(format: "in process   vcpuid guest verify (compose+VM+guest+compare): %d entries, %d runs, median %.1f us, min %.1f us, failed runs %d",
                 entries, runs, inProcess, times.min() ?? 0, failures))

    if let cProgram {
        let (_, output, _) = try timeProcess(cProgram, [String(runs)])
        print("in process   C kvm_probe: " + output.trimmingCharacters(in: .whitespacesAndNewlines))
        if let range = output.range(of: "median "), let value = Double(output[range.upperBound...].prefix { $0 != " " }) {
            print(String(format: "ratio in process Swift/C (median): %.2f (target <= 1.5)", inProcess / value))
        }
    }

    // Issue 12: the same with KVM's feature MSRs in the table: KVM_SET_MSRS of those KVM will take (the plan
    // leaves out what the rules say it refuses), KVM_GET_MSRS back, and a guest RDMSR of every one.
    if kvm.offersFeatureMSRs {
        var withMSRs = try kvm.supportedCPUID()
        for msr in try kvm.featureMSRs() where msr.value.bits != nil { withMSRs.setMSR(msr) }
        let msrBase = GuestBase(kind: .live, snapshot: withMSRs, name: "KVM_GET_SUPPORTED_CPUID + feature MSRs (live)")
        let kernel = KernelVersion.running() ?? KernelVersion(6, 18)
        let module = KVMModuleOptions(detected: KVMModuleInfo.detect())?.module ?? .kvmIntel
        let plan = GuestMSRPlan(composition: try composer.compose(policy, on: msrBase), kernel: kernel, module: module)
        _ = try GuestVerification.run(try composer.compose(policy, on: msrBase), msrPlan: plan, using: kvm)
        var msrTimes: [Double] = []
        var msrFailures = 0
        for _ in 0..<runs {
            let start = clock.now
            let composition = try composer.compose(policy, on: msrBase)
            let verification = try GuestVerification.run(composition, msrPlan: GuestMSRPlan(composition: composition, kernel: kernel, module: module), using: kvm)
            msrTimes.append(microseconds(clock.now - start))
            if !verification.msrMismatches.isEmpty || !verification.failures.isEmpty { msrFailures += 1 }
        }
        let msrMedian = median(msrTimes)
        print(String(format: "in process   guest verify with feature MSRs (%d written, %d read by RDMSR): %d runs, median %.1f us, min %.1f us, failed runs %d",
                     plan.writes.count, plan.reads.count, runs, msrMedian, msrTimes.min() ?? 0, msrFailures))
        if let cProgram {
            let writes = plan.writes.map { "0x\(String($0.index, radix: 16))=0x\(String($0.value.bits ?? 0, radix: 16))" }.joined(separator: ",")
            let reads = plan.reads.map { "0x\(String($0, radix: 16))" }.joined(separator: ",")
            let (_, output, _) = try timeProcess(cProgram, [String(runs), "-w", writes, "-r", reads])
            print("in process   C kvm_probe with MSRs: " + output.trimmingCharacters(in: .whitespacesAndNewlines))
            if let range = output.range(of: "median "), let value = Double(output[range.upperBound...].prefix { $0 != " " }) {
                print(String(format: "ratio in process with MSRs Swift/C (median): %.2f (target <= 1.5)", msrMedian / value))
            }
        }
    }

    if let vcpuidBinary {
        let processRuns = min(runs, 50)
        var swiftProcess: [Double] = []
        for _ in 0..<processRuns {
            let (time, status) = spawnTime(vcpuidBinary, ["guest", "verify"])
            guard status == 0 else { throw CocoaError(.executableLoad) }
            swiftProcess.append(time)
        }
        let swiftMedian = median(swiftProcess)
        print(String(format: "whole process vcpuid guest verify: %d runs, median %.1f us", processRuns, swiftMedian))
        if let cProgram {
            var cProcess: [Double] = []
            for _ in 0..<processRuns { cProcess.append(spawnTime(cProgram, ["1"]).0) }
            let cMedian = median(cProcess)
            print(String(format: "whole process C kvm_probe 1: %d runs, median %.1f us", processRuns, cMedian))
            print(String(format: "ratio whole process Swift/C (median): %.2f (target <= 5)", swiftMedian / cMedian))
        }
    }
} catch {
    print("GuestVerify: \(error)")
    exit(1)
}
