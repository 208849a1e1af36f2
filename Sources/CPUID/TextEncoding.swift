/// Windows tools save reports with a byte-order mark, and some (Notepad's "Unicode") as UTF-16. Every reader
/// works on UTF-8 without a mark, so the text is normalised once before detection and parsing.
enum TextEncoding {
    /// The bytes as UTF-8 without a byte-order mark; UTF-16 (with its mark) is transcoded. Anything else is
    /// returned as it is, for the readers to judge.
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(bytes.dropFirst(3)) }
        let littleEndian = bytes.starts(with: [0xFF, 0xFE])
        guard littleEndian || bytes.starts(with: [0xFE, 0xFF]), bytes.count % 2 == 0 else { return bytes }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2 - 1)
        var i = 2
        while i + 1 < bytes.count {
            units.append(littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
