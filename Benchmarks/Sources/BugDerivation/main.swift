// Derives the Linux view with cpu_set_bug_bits() for 10,000 dumps that carry IA32_ARCH_CAPABILITIES and the
// microcode revision (issue 12: "flags with MSR-based bugs ≥ 20,000 dumps/s"), and, for comparison, the same
// dumps without MSRs (bugs left undecided, each with its reason text). The dumps are the libcpuid corpus
// (../shared/corpus/libcpuid) with CPUID.7.0:EDX[29] set and MSR 0x10A/0x8B values varied per dump, cycled to
// 10,000; without the corpus, this machine's snapshot stands in.
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
    snapshots = [try LiveCPU.snapshot(cpu: 0)]
    source = "this machine's snapshot (corpus not found at \(corpus.path))"
} else {
    source = "\(snapshots.count) libcpuid corpus dumps"
}

/// The i-th input: ARCH_CAPABILITIES enumerated, an MSR 0x10A value drawn from the bits the rules read, a revision.
func withMSRs(_ base: Snapshot, _ i: Int) -> Snapshot {
    var s = base
    s.set(7, 0, .edx, to: s.value(7, 0, .edx) | 1 << 29)
    let pattern = UInt64(truncatingIfNeeded: i &* 0x9E37_79B9) & 0x4000_0000_1F1E_F1FF
    s.setMSR(MSR(0x10A, .value(pattern)))
    s.setMSR(MSR(0x8B, .value(UInt64(0x100 + i % 0x200) << 32)))
    return s
}

let withMSR = (0..<target).map { withMSRs(snapshots[$0 % snapshots.count], $0) }
let withoutMSR = withMSR.map { s -> Snapshot in var t = s; t.removeMSRs(); return t }

func run(_ inputs: [Snapshot], _ kernel: KernelProfile) -> (seconds: Double, bugs: Int, undecided: Int) {
    var bugs = 0, undecided = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for snapshot in inputs {
        let view = LinuxDerivation.derive(snapshot, kernel: kernel)
        bugs &+= view.procFlags.count &+ view.procBugs.count
        undecided &+= view.undecidedNames.count
    }
    let end = DispatchTime.now().uptimeNanoseconds
    return (Double(end - start) / 1e9, bugs, undecided)
}

print("BugDerivation: \(target) derivations (capability words, /proc flags and bugs with cpu_set_bug_bits()) over \(source)")
for kernel in [KernelProfile.v6_1, .v6_18] {
    let variants = [("MSRs 0x10A+0x8B", withMSR), ("no MSRs (undecided)", withoutMSR)]
    for (label, inputs) in CommandLine.arguments.contains("msrs-only") ? Array(variants.prefix(1)) : variants {
        _ = run(inputs, kernel)  // warm-up
        var best = Double.infinity
        var last = (seconds: 0.0, bugs: 0, undecided: 0)
        for _ in 0..<3 {
            last = run(inputs, kernel)
            best = min(best, last.seconds)
        }
        print(String(format: "  Linux %@, %@: best of 3 %.3f s -> %.0f dumps/s (%.1f us/dump; names %d, undecided %d)",
                     kernel.version.description, label, best, Double(target) / best, best / Double(target) * 1e6,
                     last.bugs, last.undecided))
    }
}
