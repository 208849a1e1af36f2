/// Turns a byte offset into the 1-based line and column that error messages name.
/// Only error paths call this, so readers that scan without tracking lines stay fast.
enum BytePosition {
    static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let end = min(offset, bytes.count)
        var i = 0
        while i < end {
            if bytes[i] == 10 {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return (line, end - lineStart + 1)
    }

    static func error(_ kind: DumpError.Kind, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, file: String) -> DumpError {
        let (line, column) = lineAndColumn(of: offset, in: bytes)
        return DumpError(file: file, line: line, column: column, kind: kind)
    }
}

/// Line numbers for offsets asked in increasing order, counted once over the buffer.
struct LineCounter {
    let bytes: UnsafeBufferPointer<UInt8>
    private var countedTo = 0
    private var lines = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func line(at offset: Int) -> Int {
        let end = min(offset, bytes.count)
        if end < countedTo { return BytePosition.lineAndColumn(of: end, in: bytes).line }
        while countedTo < end {
            if bytes[countedTo] == 10 { lines += 1 }
            countedTo += 1
        }
        return lines
    }
}
