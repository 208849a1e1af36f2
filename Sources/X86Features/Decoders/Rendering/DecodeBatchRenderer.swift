import CPUID
import Dispatch
import Synchronization
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

    /// Renders `cpus` and hands the text to `emit` in CPU order, one chunk of CPUs at a time.
    public static func render(_ cpus: [LogicalCPU], leaf: UInt32?, style: Style,
                              emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let lanes = max(1, min(OnlineProcessors.count, 8))
        // A batch is split into small chunks of CPUs, each rendered into its own buffer. The calling thread
        // and lanes - 1 helpers on the global queue claim chunks from a shared counter until none is left,
        // so a helper that starts late (its core busy with something else) costs nothing: the caller
        // simply renders more chunks itself. Then the caller waits (blocking, not spinning) for chunks in
        // flight and emits the batch in CPU order. Buffers stay small and are reused: on a virtual
        // machine fresh pages cost more than the text written into them.
        let chunkSize = 8
        let slots = (0..<(lanes == 1 ? 1 : 4 * lanes)).map { _ in RenderSlot() }
        if style == .json { emitText("{\"cpus\": [\n", emit) }
        var start = 0
        while start < cpus.count {
            let end = min(start + slots.count * chunkSize, cpus.count)
            let chunks = (end - start + chunkSize - 1) / chunkSize
            let batchStart = start
            let counter = ChunkCounter()
            let claimAndRender: @Sendable () -> Void = {
                while true {
                    let chunk = counter.next.add(1, ordering: .relaxed).oldValue
                    guard chunk < chunks else { return }
                    let slot = slots[chunk]
                    slot.output.removeAll()
                    let first = batchStart + chunk * chunkSize
                    for index in first..<min(first + chunkSize, end) {
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
            }
            let group = DispatchGroup()
            if chunks > 1 {
                for _ in 1..<lanes { DispatchQueue.global().async(group: group, execute: claimAndRender) }
            }
            claimAndRender()
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

/// The next chunk of a batch to render, claimed atomically by whichever thread is free.
private final class ChunkCounter: Sendable {
    let next = Atomic<Int>(0)
}

/// One chunk's reusable output buffer and field array. One thread at a time renders a chunk: the
/// counter hands each chunk index out once per batch.
private final class RenderSlot: @unchecked Sendable {
    var output = TextOutput(capacity: 1 << 18)
    var fields: [DecodedField] = []
}

/// The number of online CPUs, the most lanes worth running.
enum OnlineProcessors {
    static var count: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}
