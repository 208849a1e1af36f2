import CPUID
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Renders many CPUs (a whole dump) as `vcpuid decode` prints them: in CPU order, a batch at a time,
/// each batch spread over the machine's cores. CPUs are independent, so a 1,000-CPU dump decodes in
/// parallel while the output stays byte-for-byte what one thread would print.
public enum DecodeBatchRenderer {
    public enum Style: Sendable {
        case text
        case json
    }

    /// Renders `cpus` and hands the text to `emit` in order, in pieces of a few hundred KiB or more.
    public static func render(_ cpus: [LogicalCPU], leaf: UInt32?, style: Style,
                              emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let lanes = max(1, min(System.activeProcessorCount, 8))
        // Each batch gives every lane one chunk of CPUs; the calling thread renders the first chunk while
        // the others run on the global queue, then it waits (blocking, not spinning) and emits in order.
        // Chunks are small so that each lane's buffer stays small and hot: on a virtual machine fresh
        // pages cost more than the text written into them.
        let chunkSize = 16
        let slots = (0..<lanes).map { _ in RenderSlot() }
        if style == .json { emitText("{\"cpus\": [\n", emit) }
        var start = 0
        while start < cpus.count {
            let end = min(start + lanes * chunkSize, cpus.count)
            let batchStart = start
            let work: @Sendable (Int) -> Void = { chunk in
                let slot = slots[chunk]
                slot.output.removeAll()
                let first = batchStart + chunk * chunkSize
                let last = min(first + chunkSize, end)
                guard first < last else { return }
                for index in first..<last {
                    let cpu = cpus[index]
                    switch style {
                    case .text:
                        if index > 0 { slot.output.append(10) }
                        DecodeRenderer.appendText(cpu: cpu.number, snapshot: cpu.snapshot, leaf: leaf,
                                                  into: &slot.output, scratch: &slot.fields)
                    case .json:
                        if index > 0 { slot.output.append(",\n") }
                        DecodeRenderer.appendJSON(cpu: cpu.number, snapshot: cpu.snapshot, leaf: leaf,
                                                  into: &slot.output, scratch: &slot.fields)
                    }
                }
            }
            let chunks = (end - start + chunkSize - 1) / chunkSize
            let group = DispatchGroup()
            for chunk in 1..<max(chunks, 1) {
                DispatchQueue.global().async(group: group) { work(chunk) }
            }
            work(0)
            group.wait()
            for slot in slots.prefix(chunks) where slot.output.count > 0 { emit(slot.output.bytes) }
            start = end
        }
        if style == .json { emitText("\n]}\n", emit) }
    }

    private static func emitText(_ text: String, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { emit($0) }
    }
}

/// One lane's reusable output buffer and field array. Each lane touches only its own slot.
private final class RenderSlot: @unchecked Sendable {
    var output = TextOutput(capacity: 1 << 18)
    var fields: [DecodedField] = []
}

/// The number of online CPUs, the most lanes worth running.
enum System {
    static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}
