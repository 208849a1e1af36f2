#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One line of a text dump: byte offsets into the buffer (line terminator excluded) and its number.
struct TextLine {
    var start: Int
    var end: Int
    var number: Int
}

/// Splits a byte buffer into lines without copying; handles `\n` and `\r\n`.
struct TextLines {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private(set) var number = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> TextLine? {
        guard position < bytes.count, let base = bytes.baseAddress else { return nil }
        let start = position
        let i: Int
        if let found = memchr(base + start, 10, bytes.count - start) {
            i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        } else {
            i = bytes.count
        }
        position = i + 1
        number += 1
        var end = i
        if end > start, bytes[end - 1] == 13 { end -= 1 }
        return TextLine(start: start, end: end, number: number)
    }
}
