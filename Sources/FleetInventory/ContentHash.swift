import FoundationEssentials

/// The dedupe key of a stored dump: 64-bit FNV-1a over its stored bytes and the host kernel, as 16 hex
/// digits. Equal content gives equal keys whatever file or format it came from.
public enum ContentHash {
    public static func of(_ data: Data, kernel: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for byte in data { mix(byte) }
        mix(0)
        for byte in (kernel ?? "").utf8 { mix(byte) }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
