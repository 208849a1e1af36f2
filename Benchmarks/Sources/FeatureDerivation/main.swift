// Derives the Linux view (capability words, /proc flags and bugs) for 10,000 CPUID dumps and reports
// dumps per second. The dumps are the libcpuid corpus (../shared/corpus/libcpuid), cycled to 10,000;
// without the corpus, this machine's own snapshot with varied leaf-7 bits stands in.
import CPUID
import Foundation
import X86Features

let target = 10_000
let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/corpus/libcpuid")

var snapshots: [Snapshot] = []
if let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
    for case let url as URL in walker where url.pathExtension == "test" && !url.path.contains("/arm/") {
        if let dump = try? DumpReader.read(path: url.path) { snapshots.append(dump.first) }
    }
}
let source: String
if snapshots.isEmpty {
    let live = try LiveCPU.snapshot(cpu: 0)
    for i in 0..<64 {
        var s = live
        s.set(7, 0, .ebx, to: live.value(7, 0, .ebx) ^ UInt32(truncatingIfNeeded: i &* 0x9E37_79B9))
        snapshots.append(s)
    }
    source = "this machine's snapshot, 64 variants (corpus not found at \(corpus.path))"
} else {
    source = "\(snapshots.count) libcpuid corpus dumps"
}
let inputs = (0..<target).map { snapshots[$0 % snapshots.count] }

func run(_ kernel: KernelProfile) -> (seconds: Double, checksum: Int) {
    var checksum = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for snapshot in inputs {
        let view = LinuxDerivation.derive(snapshot, kernel: kernel)
        checksum &+= view.procFlags.count &+ view.procBugs.count
    }
    let end = DispatchTime.now().uptimeNanoseconds
    return (Double(end - start) / 1e9, checksum)
}

print("FeatureDerivation: \(target) derivations (snapshot -> capability words -> /proc flags and bugs) over \(source)")
for kernel in [KernelProfile.v6_1, .v6_2, .v6_18] {
    _ = run(kernel)  // warm-up: first-use costs (catalogue, tables) are not the steady state
    var best = Double.infinity
    var checksum = 0
    for _ in 0..<3 {
        let result = run(kernel)
        best = min(best, result.seconds)
        checksum = result.checksum
    }
    let rate = Double(target) / best
    print(String(format: "  Linux %@: best of 3 %.3f s  -> %.0f dumps/s  (%.1f us/dump, checksum %d)",
                 kernel.version.description, best, rate, best / Double(target) * 1e6, checksum))
}
