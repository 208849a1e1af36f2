import CPUID
import Foundation

// Placeholder-free seed: times Snapshot construction from synthetic entries; the dump-format
// benchmarks replace this with real parsing of generated files.
let entries = (0..<40).map { CPUIDEntry(leaf: UInt32($0), eax: UInt32($0), ebx: 0, ecx: 0, edx: 0) }
let start = Date()
var total = 0
for _ in 0..<10_000 { total += Snapshot(entries.reversed()).count }
let seconds = Date().timeIntervalSince(start)
print("snapshots/s: \(Int(10_000 / seconds)) (\(total) entries)")
