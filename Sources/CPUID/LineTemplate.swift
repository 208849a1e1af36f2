/// The exact byte layout of a canonical dump line (`H` marks a hex digit), so that readers can take
/// the common case with fixed offsets and fall back to the general, error-reporting path otherwise.
struct LineTemplate {
    let length: Int
    private let literalOffsets: [Int]
    private let literalBytes: [UInt8]

    init(_ template: StaticString) {
        var offsets: [Int] = []
        var literals: [UInt8] = []
        var count = 0
        template.withUTF8Buffer { buffer in
            count = buffer.count
            for (i, b) in buffer.enumerated() where b != UInt8(ascii: "H") {
                offsets.append(i)
                literals.append(b)
            }
        }
        length = count
        literalOffsets = offsets
        literalBytes = literals
    }

    /// Whether the bytes from `start` on have every literal byte of the template in place.
    @inline(__always)
    func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Bool {
        guard end - start >= length else { return false }
        return literalOffsets.withUnsafeBufferPointer { offsets in
            literalBytes.withUnsafeBufferPointer { literals in
                for k in 0..<offsets.count where bytes[start &+ offsets[k]] != literals[k] { return false }
                return true
            }
        }
    }
}
