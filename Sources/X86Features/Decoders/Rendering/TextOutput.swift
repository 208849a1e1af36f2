import CPUID
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A growable byte buffer that renderers write text into directly. Decoding 1,000 CPUs prints
/// half a million lines; writing through one owned pointer (no copy-on-write or exclusivity
/// checks per byte) is what keeps `vcpuid decode` well ahead of `cpuid -f`. Non-copyable: pass it `inout`.
public struct TextOutput: ~Copyable {
    public private(set) var count = 0
    private var capacity: Int
    private var base: UnsafeMutablePointer<UInt8>

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text written so far.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func removeAll() { count = 0 }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    public mutating func append(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append(bytes: UnsafeRawBufferPointer($0)) }
        if copied == nil {
            var text = text
            text.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    public mutating func append(bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let source = bytes.baseAddress {
            UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        }
        count += bytes.count
    }

    /// `n` spaces (at least one when `atLeastOne`), for aligning columns.
    public mutating func spaces(_ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).initialize(repeating: 32, count: n)
        count += n
    }

    /// Pads with spaces so that the text since `start` is `width` bytes wide (at least one space).
    public mutating func pad(from start: Int, to width: Int) {
        spaces(max(start + width - count, 1))
    }

    public mutating func append(decimal value: UInt64) {
        var length = 1
        var scan = value
        while scan >= 10 {
            scan /= 10
            length += 1
        }
        reserve(length)
        var v = value
        var i = count + length - 1
        repeat {
            base[i] = UInt8(truncatingIfNeeded: v % 10) + 48
            v /= 10
            i -= 1
        } while v > 0
        count += length
    }

    /// `0x` followed by the hex digits of `value` without leading zeros.
    public mutating func append(hex value: UInt64) {
        reserve(18)
        base[count] = 48
        base[count + 1] = 120
        count += 2
        var shift = 60
        while shift > 0 && (value >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
        while shift >= 0 {
            base[count] = Self.hexDigit(UInt32(truncatingIfNeeded: value >> UInt64(shift)))
            count += 1
            shift -= 4
        }
    }

    /// Exactly `digits` hex digits with `0x`: `0x0000abcd` for 8, `0x0b` for 2.
    public mutating func append(hex value: UInt32, digits: Int) {
        reserve(digits + 2)
        base[count] = 48
        base[count + 1] = 120
        var v = value
        var i = count + digits + 1
        while i > count + 1 {
            base[i] = Self.hexDigit(v)
            v >>= 4
            i -= 1
        }
        count += digits + 2
    }

    /// `576 bytes`, or a whole number of KiB/MiB/GiB/... when the size divides evenly.
    public mutating func append(byteSize bytes: UInt64) {
        var value = bytes
        var unit = -1
        while value >= 1024 && value % 1024 == 0 && unit + 1 < Self.byteUnits.count {
            value /= 1024
            unit += 1
        }
        append(decimal: value)
        append(unit < 0 ? (value == 1 ? " byte" : " bytes") : Self.byteUnits[unit])
    }

    /// Writes everything to a file descriptor and empties the buffer.
    public mutating func flush(to fd: Int32) {
        Self.write(bytes, to: fd)
        count = 0
    }

    /// Writes bytes to a file descriptor, retrying short writes; stops quietly when the reader is gone.
    public static func write(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        try? SystemFile.writeAll(UnsafeRawBufferPointer(bytes), to: fd)
    }

    @inline(__always)
    static func hexDigit(_ value: UInt32) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: value & 0xf)
        return nibble < 10 ? nibble + 48 : nibble + 87
    }

    static let byteUnits = [" KiB", " MiB", " GiB", " TiB", " PiB", " EiB"]
}
