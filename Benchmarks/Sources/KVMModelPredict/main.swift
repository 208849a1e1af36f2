// In-process cost of the KVM supported-CPUID model: the Linux derivation plus KVMSupportedModel.predict for
// one host (a dump file, or this machine's CPU 0), per kernel profile; prints the median of N runs each.
// Run: swift run -c release --package-path Benchmarks KVMModelPredict [dump-file] [runs]
import CPUID
import Foundation
import KVM
import X86Features

let arguments = CommandLine.arguments
let runs = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 200) : 200

let host: Snapshot
do {
    if arguments.count > 1 {
        host = try DumpReader.read(path: arguments[1], format: nil).first
    } else {
        host = try LiveCPU.snapshot(cpu: 0, source: .instruction)
    }
} catch {
    print("cannot read the host: \(error)")
    exit(1)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func microseconds(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
}

let module: KVMModuleOptions = ["AuthenticAMD", "HygonGenuine"].contains(host.vendor) ? .amd : .intel()
print("host \(host.vendor), \(host.count) entries; \(runs) runs each; median microseconds")
print("kernel  derive  predict(model only)  predict(derive+model)  entries")
for kernel in KernelProfile.all {
    guard let profile = KVMKernelProfile.for(kernel.version) else { continue }
    var derive: [Double] = []
    var model: [Double] = []
    var both: [Double] = []
    var entries = 0
    for _ in 0..<runs {
        var view: LinuxView?
        derive.append(microseconds { view = LinuxDerivation.derive(host, kernel: kernel) })
        guard let view else { continue }
        model.append(microseconds {
            entries = KVMSupportedModel.predict(host: host, kernel: profile, hostKernel: view, module: module).snapshot.count
        })
        both.append(microseconds { _ = KVMSupportedModel.predict(host: host, kernel: kernel, module: module) })
    }
    let row = [kernel.version.description, String(format: "%.0f", median(derive)),
               String(format: "%.0f", median(model)), String(format: "%.0f", median(both)), String(entries)]
    print(row.joined(separator: "\t"))
}
