/// A 32-bit general-purpose register, numbered as the x86 ModRM and opcode+register encodings number it.
public enum X86Register32: UInt8, CaseIterable, Sendable {
    case eax = 0, ecx, edx, ebx, esp, ebp, esi, edi
}

/// A 16-bit general-purpose register (same numbering as the 32-bit ones).
public enum X86Register16: UInt8, CaseIterable, Sendable {
    case ax = 0, cx, dx, bx, sp, bp, si, di
}

/// Why a real-mode program could not be assembled.
public enum RealModeAssemblerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A short jump's target is further than a signed byte can reach.
    case jumpOutOfRange(from: Int, to: Int)
    /// The code does not fit in the 64 KiB code segment after its origin.
    case segmentOverflow(origin: UInt16, size: Int)

    public var description: String {
        switch self {
        case let .jumpOutOfRange(from, to):
            "a short jump at offset \(from) cannot reach offset \(to) (more than 127 bytes away)"
        case let .segmentOverflow(origin, size):
            "\(size) bytes of guest code at 0x\(String(origin, radix: 16)) do not fit in a 64 KiB real-mode segment"
        }
    }
}

/// Emits 16-bit (real-mode) x86 machine code for the handful of instructions the guest probe needs.
///
/// In real mode the default operand size is 16 bits, so every 32-bit operation carries the operand-size
/// prefix 0x66. Encodings follow the Intel SDM Vol. 2 opcode tables; each has a unit test.
public struct RealModeAssembler: Sendable {
    /// The offset in the code segment where the first byte will be loaded (the guest's initial IP).
    public let origin: UInt16
    public private(set) var bytes: [UInt8] = []

    static let operandSizePrefix: UInt8 = 0x66

    public init(origin: UInt16 = 0) {
        self.origin = origin
    }

    /// The offset of the next instruction, relative to the code's start.
    public var position: Int { bytes.count }

    /// `mov r32, imm32`: 66 B8+r id.
    public mutating func mov(_ register: X86Register32, _ value: UInt32) {
        bytes += [Self.operandSizePrefix, 0xB8 + register.rawValue]
        append32(value)
    }

    /// `mov r16, imm16`: B8+r iw.
    public mutating func mov(_ register: X86Register16, _ value: UInt16) {
        bytes.append(0xB8 + register.rawValue)
        bytes += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
    }

    /// `mov r/m32, r32` with a register destination: 66 89 /r, ModRM = 11 src dst.
    public mutating func mov(_ destination: X86Register32, _ source: X86Register32) {
        bytes += [Self.operandSizePrefix, 0x89, 0xC0 | source.rawValue << 3 | destination.rawValue]
    }

    /// `cpuid`: 0F A2.
    public mutating func cpuid() {
        bytes += [0x0F, 0xA2]
    }

    /// `rdmsr`: 0F 32 (EDX:EAX = MSR[ECX]).
    public mutating func rdmsr() {
        bytes += [0x0F, 0x32]
    }

    /// `xor r32, r32` (zeroes it): 66 31 /r.
    public mutating func zero(_ register: X86Register32) {
        bytes += [Self.operandSizePrefix, 0x31, 0xC0 | register.rawValue << 3 | register.rawValue]
    }

    /// `mov al, imm8`: B0 ib.
    public mutating func movAL(_ value: UInt8) {
        bytes += [0xB0, value]
    }

    /// `push bp; mov bp, sp; add word [bp+2], n; pop bp`: moves the interrupted IP that a real-mode exception
    /// pushed past an `n`-byte instruction (55, 89 E5, 83 46 02 ib, 5D).
    public mutating func skipFaultingInstruction(length: UInt8) {
        bytes += [0x55, 0x89, 0xE5, 0x83, 0x46, 0x02, length, 0x5D]
    }

    /// `iret`: CF.
    public mutating func iret() {
        bytes.append(0xCF)
    }

    /// `out dx, eax`: 66 EF.
    public mutating func outDXEAX() {
        bytes += [Self.operandSizePrefix, 0xEF]
    }

    /// `out dx, al`: EE.
    public mutating func outDXAL() {
        bytes.append(0xEE)
    }

    /// `out imm8, al`: E6 ib.
    public mutating func out(port: UInt8) {
        bytes += [0xE6, port]
    }

    /// `hlt`: F4.
    public mutating func hlt() {
        bytes.append(0xF4)
    }

    /// `jmp rel8` to a position in this code (EB cb); the displacement counts from the next instruction.
    public mutating func jmpShort(to target: Int) throws(RealModeAssemblerError) {
        let displacement = target - (position + 2)
        guard displacement >= -128, displacement <= 127 else {
            throw .jumpOutOfRange(from: position, to: target)
        }
        bytes += [0xEB, UInt8(bitPattern: Int8(displacement))]
    }

    /// The finished code, checked to fit in the code segment after `origin`.
    public func assemble() throws(RealModeAssemblerError) -> [UInt8] {
        guard Int(origin) + bytes.count <= 0x1_0000 else {
            throw .segmentOverflow(origin: origin, size: bytes.count)
        }
        return bytes
    }

    private mutating func append32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
