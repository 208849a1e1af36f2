import CPUID
import Foundation
import X86Features

// In-process cost of each stage of `vcpuid decode` for a cpuid -r file (default: the decoder fixtures
// repeated to 1,000 CPUs): reading the file, decoding every CPU's fields, rendering them as text.
// Usage: DecodeThroughput [FILE]

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let cpus: [LogicalCPU]
var readSeconds = 0.0
if CommandLine.arguments.count > 1 {
    let start = Date()
    guard let dump = try? DumpReader.read(path: CommandLine.arguments[1]) else {
        print("cannot read \(CommandLine.arguments[1])")
        exit(2)
    }
    readSeconds = Date().timeIntervalSince(start)
    cpus = dump.cpus
} else {
    var snapshots: [Snapshot] = []
    for name in ["amd-epyc-genoa-kvm.raw", "intel-core-i3-1220p.raw"] {
        let path = root.appendingPathComponent("Tests/Fixtures/decoders/\(name)").path
        guard let dump = try? DumpReader.read(path: path) else {
            print("cannot read \(path)")
            exit(2)
        }
        snapshots.append(dump.first)
    }
    cpus = (0..<1_000).map { LogicalCPU(number: $0, snapshot: snapshots[$0 % snapshots.count]) }
}

func best(of runs: Int, _ body: () -> Int) -> (seconds: Double, result: Int) {
    var bestTime = Double.infinity
    var result = 0
    for _ in 0..<runs {
        let start = Date()
        result = body()
        bestTime = min(bestTime, Date().timeIntervalSince(start))
    }
    return (bestTime, result)
}

let decode = best(of: 5) {
    var total = 0
    var fields: [DecodedField] = []
    for cpu in cpus {
        fields.removeAll(keepingCapacity: true)
        LeafDecoders.decode(cpu.snapshot, into: &fields)
        total += fields.count
    }
    return total
}
let render = best(of: 5) {
    var out = TextOutput(capacity: 1 << 20)
    var bytes = 0
    for cpu in cpus {
        DecodeRenderer.appendText(cpu: cpu.number, snapshot: cpu.snapshot, into: &out)
        bytes += out.count
        out.removeAll()
    }
    return bytes
}
let batch = best(of: 5) {
    var bytes = 0
    DecodeBatchRenderer.render(cpus, leaf: nil, style: .text) { bytes += $0.count }
    return bytes
}
print("CPUs: \(cpus.count), fields: \(decode.result), text: \(render.result / 1024) KiB")
if readSeconds > 0 { print(String(format: "read file:            %6.1f ms", readSeconds * 1000)) }
print(String(format: "decode only:          %6.1f ms  (%.0f ns per field)", decode.seconds * 1000,
             decode.seconds * 1e9 / Double(max(decode.result, 1))))
print(String(format: "decode + render:      %6.1f ms  (one thread)", render.seconds * 1000))
print(String(format: "decode + render:      %6.1f ms  (DecodeBatchRenderer, all cores)", batch.seconds * 1000))
