/// Why KVM_RUN returned to user space: the exit reasons a VMM must handle, typed.
public enum KVMExit: Hashable, Sendable, CustomStringConvertible {
    /// The guest executed IN or OUT (KVM_EXIT_IO).
    case io(KVMIOExit)
    /// The guest executed HLT (KVM_EXIT_HLT).
    case halt
    /// The guest touched guest-physical memory with no memory slot behind it (KVM_EXIT_MMIO).
    case mmio(KVMMMIOExit)
    /// Triple fault or similar: the guest is dead (KVM_EXIT_SHUTDOWN).
    case shutdown
    /// The hardware refused to enter the guest (KVM_EXIT_FAIL_ENTRY), usually invalid guest state.
    case failEntry(hardwareReason: UInt64, cpu: UInt32)
    /// KVM could not handle the exit (KVM_EXIT_INTERNAL_ERROR), e.g. an instruction it cannot emulate.
    case internalError(suberror: UInt32, data: [UInt64])
    /// The guest requested a reset, shutdown or crash notification (KVM_EXIT_SYSTEM_EVENT).
    case systemEvent(type: UInt32)
    /// An exception KVM reflects to user space (KVM_EXIT_EXCEPTION).
    case exception(number: UInt32)
    /// A signal arrived while the guest ran (KVM_EXIT_INTR).
    case interrupted
    /// The hardware exit reason KVM did not know (KVM_EXIT_UNKNOWN).
    case unknown(hardwareReason: UInt64)
    /// Any other KVM_EXIT_* number.
    case other(reason: UInt32)

    public var description: String {
        switch self {
        case let .io(io): "KVM_EXIT_IO (\(io))"
        case .halt: "KVM_EXIT_HLT"
        case let .mmio(mmio): "KVM_EXIT_MMIO (\(mmio))"
        case .shutdown: "KVM_EXIT_SHUTDOWN (the guest triple-faulted)"
        case let .failEntry(reason, cpu):
            "KVM_EXIT_FAIL_ENTRY (hardware entry failure reason 0x\(String(reason, radix: 16)) on CPU \(cpu))"
        case let .internalError(suberror, data):
            "KVM_EXIT_INTERNAL_ERROR (suberror \(suberror)\(data.isEmpty ? "" : ", data " + data.map { "0x" + String($0, radix: 16) }.joined(separator: " ")))"
        case let .systemEvent(type): "KVM_EXIT_SYSTEM_EVENT (type \(type))"
        case let .exception(number): "KVM_EXIT_EXCEPTION (vector \(number))"
        case .interrupted: "KVM_EXIT_INTR"
        case let .unknown(reason): "KVM_EXIT_UNKNOWN (hardware exit reason 0x\(String(reason, radix: 16)))"
        case let .other(reason): "KVM exit reason \(reason)"
        }
    }
}

/// An IN or OUT the guest executed: port, access size, repeat count and (for OUT) the bytes written.
public struct KVMIOExit: Hashable, Sendable, CustomStringConvertible {
    public enum Direction: Hashable, Sendable { case `in`, out }

    public var direction: Direction
    public var port: UInt16
    /// Bytes per access: 1, 2 or 4.
    public var size: UInt8
    /// Accesses in this exit (more than 1 for string I/O).
    public var count: UInt32
    /// For OUT: the `size * count` bytes the guest wrote. For IN: empty (the VMM answers with `setIOInput`).
    public var data: [UInt8]

    public init(direction: Direction, port: UInt16, size: UInt8, count: UInt32, data: [UInt8]) {
        self.direction = direction
        self.port = port
        self.size = size
        self.count = count
        self.data = data
    }

    /// The first access's value, little-endian, as the guest's register held it.
    public var value: UInt32 {
        var v: UInt32 = 0
        for (i, byte) in data.prefix(Int(size)).enumerated() { v |= UInt32(byte) << (8 * UInt32(i)) }
        return v
    }

    public var description: String {
        "\(direction == .out ? "OUT" : "IN") port 0x\(String(port, radix: 16)), \(size) byte(s) x \(count)"
    }
}

/// A guest access to unbacked guest-physical memory.
public struct KVMMMIOExit: Hashable, Sendable, CustomStringConvertible {
    public var address: UInt64
    public var length: UInt32
    public var isWrite: Bool
    /// The value written (little-endian), meaningful for writes only.
    public var data: UInt64

    public init(address: UInt64, length: UInt32, isWrite: Bool, data: UInt64) {
        self.address = address
        self.length = length
        self.isWrite = isWrite
        self.data = data
    }

    public var description: String {
        "\(isWrite ? "write" : "read") of \(length) byte(s) at 0x\(String(address, radix: 16))"
    }
}
