/// libcpuid's test files end the raw dump with a line of exactly 80 dashes, followed by libcpuid's own
/// decoding of it. The text readers stop at that line; it never occurs inside a dump of any format.
public enum DumpTrailer {
    public static let dashCount = 80

    static func isTrailerLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextLine) -> Bool {
        guard line.end - line.start == dashCount, bytes[line.start] == UInt8(ascii: "-") else { return false }
        for i in line.start..<line.end where bytes[i] != UInt8(ascii: "-") { return false }
        return true
    }
}
