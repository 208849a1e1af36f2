/// How one leaf's subleaves are enumerated: where the walk over ECX starts, what it reads, where it ends.
///
/// Each case is one pattern the SDM and AMD's APM use; `Enumeration.subleafRules` says which leaf uses which.
public enum SubleafEnumeration: Hashable, Sendable {
    /// Only subleaf 0 is defined.
    case single
    /// Subleaves 0 through the value of a subleaf-0 field (e.g. 7.0 EAX = highest subleaf).
    case throughCount(Register, high: Int, low: Int)
    /// Subleaf 0, then subleaf n for every bit n (1...31) set in a subleaf-0 register (e.g. 0x10.0 EBX).
    case bitmap(Register)
    /// Subleaves in order until a field reads zero. Subleaves below `firstChecked` are always listed;
    /// `includesTerminator` says whether the subleaf that reads zero is itself listed.
    case untilZero(Register, high: Int, low: Int, firstChecked: UInt32, includesTerminator: Bool)
    /// Leaf 0xD: subleaves 0 and 1, then one per state component n (2...62) set in
    /// XCR0 (0xD.0 EDX:EAX) or IA32_XSS (0xD.1 EDX:ECX).
    case xsaveComponents

    /// The most subleaves any walk visits, so that a CPU (or a dump) answering garbage cannot loop forever.
    public static let subleafLimit: UInt32 = 256

    /// The subleaves to list, asking `query` for each subleaf's registers as the walk needs them.
    /// `query` returns nil when the subleaf is unknown (a dump that lacks it); the walk then stops.
    public func subleaves<E: Error>(_ query: (UInt32) throws(E) -> Registers?) throws(E) -> [(UInt32, Registers)] {
        guard let first = try query(0) else { return [] }
        var result: [(UInt32, Registers)] = []
        switch self {
        case .single:
            result.append((0, first))
        case let .throughCount(register, high, low):
            let last = min(Self.field(first[register], high, low), Self.subleafLimit - 1)
            result.append((0, first))
            var subleaf: UInt32 = 1
            while subleaf <= last {
                guard let r = try query(subleaf) else { break }
                result.append((subleaf, r))
                subleaf += 1
            }
        case let .bitmap(register):
            let mask = first[register]
            result.append((0, first))
            for bit in UInt32(1)...31 where mask & (1 << bit) != 0 {
                guard let r = try query(bit) else { break }
                result.append((bit, r))
            }
        case let .untilZero(register, high, low, firstChecked, includesTerminator):
            var subleaf: UInt32 = 0
            var registers = first
            while subleaf < Self.subleafLimit {
                if subleaf >= firstChecked, Self.field(registers[register], high, low) == 0 {
                    if includesTerminator { result.append((subleaf, registers)) }
                    break
                }
                result.append((subleaf, registers))
                subleaf += 1
                guard let next = try query(subleaf) else { break }
                registers = next
            }
        case .xsaveComponents:
            result.append((0, first))
            guard let second = try query(1) else { break }
            result.append((1, second))
            let xcr0 = UInt64(first.edx) << 32 | UInt64(first.eax)
            let xss = UInt64(second.edx) << 32 | UInt64(second.ecx)
            let components = xcr0 | xss
            for bit in UInt32(2)...62 where components & (1 << UInt64(bit)) != 0 {
                guard let r = try query(bit) else { break }
                result.append((bit, r))
            }
        }
        return result
    }

    static func field(_ value: UInt32, _ high: Int, _ low: Int) -> UInt32 {
        (value & CPUIDField.mask(bits: high, low)) >> UInt32(low)
    }
}
