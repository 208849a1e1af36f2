import CPUID

/// What a guest should get: edits applied in order to a base table. `GuestTableComposer` carries it out.
public struct GuestPolicy: Hashable, Sendable {
    /// One step of the policy.
    public enum Edit: Hashable, Sendable, CustomStringConvertible {
        /// Turn features on, by macro, /proc or QEMU name.
        case enable([String])
        /// Turn features off, and everything that depends on them.
        case disable([String])
        /// Write a field of a register as is: no feature logic, but the final table is still checked.
        case set(RegisterAssignment)
        /// Write bits of a feature MSR as is; offered bits are still checked against the base.
        case setMSR(MSRAssignment)
        /// Apply a Firecracker custom CPU template's CPUID and MSR modifiers.
        case template(FirecrackerTemplate, path: String)

        /// The command-line spelling, which is how messages refer to an edit.
        public var description: String {
            switch self {
            case let .enable(names): "--enable \(names.joined(separator: ","))"
            case let .disable(names): "--disable \(names.joined(separator: ","))"
            case let .set(assignment): "--set \(assignment)"
            case let .setMSR(assignment): "--set \(assignment)"
            case let .template(_, path): "--template \(path)"
            }
        }
    }

    public var edits: [Edit]
    /// Enabling what the base lacks becomes a warning instead of an error.
    public var allowUnsupported: Bool

    public init(edits: [Edit] = [], allowUnsupported: Bool = false) {
        self.edits = edits
        self.allowUnsupported = allowUnsupported
    }
}

/// `0x12.0.eax=0x803` or `0x12.0.eax[11]=1` or `7.0.ebx[31:16]=0`: a raw register edit.
public struct RegisterAssignment: Hashable, Sendable, CustomStringConvertible {
    public var field: CPUIDField
    public var value: UInt32

    public init(field: CPUIDField, value: UInt32) {
        self.field = field
        self.value = value
    }

    /// Why an assignment's text was refused.
    public struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var message: String
        public var description: String { "--set \(text): \(message)" }
    }

    /// Parses `LEAF.SUBLEAF.REGISTER[BITS]=VALUE`; numbers are hex with `0x`, decimal otherwise.
    public init(parsing text: String) throws(SyntaxError) {
        func fail(_ message: String) -> SyntaxError { SyntaxError(text: text, message: message) }
        let sides = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2 else { throw fail("expected LEAF.SUBLEAF.REGISTER=VALUE, e.g. 0x12.0.eax=0x803") }
        var target = Substring(sides[0])
        var high = 31
        var low = 0
        if target.hasSuffix("]"), let open = target.lastIndex(of: "[") {
            let inside = target[target.index(after: open)..<target.index(before: target.endIndex)]
            let bounds = inside.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let first = Int(bounds[0]),
                  let last = bounds.count == 2 ? Int(bounds[1]) : first,
                  (0...31).contains(first), (0...31).contains(last), last <= first else {
                throw fail("bits \"[\(inside)]\" must be [N] or [HIGH:LOW] within 0...31")
            }
            high = first
            low = last
            target = target[..<open]
        }
        let parts = target.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw fail("expected LEAF.SUBLEAF.REGISTER before '=', e.g. 0x7.0.ebx") }
        guard let leaf = Self.number(parts[0]) else { throw fail("leaf \"\(parts[0])\" is not a 32-bit number") }
        guard let subleaf = Self.number(parts[1]) else { throw fail("subleaf \"\(parts[1])\" is not a 32-bit number") }
        guard let register = Register(name: String(parts[2])) else {
            throw fail("register \"\(parts[2])\" must be eax, ebx, ecx or edx")
        }
        guard let value = Self.number(sides[1]) else { throw fail("value \"\(sides[1])\" is not a 32-bit number") }
        let field = CPUIDField(leaf, subleaf, register, bits: high, low)
        guard value <= field.mask >> UInt32(low) else {
            throw fail("value \(Hex.word(value)) does not fit in \(field.width) bit(s)")
        }
        self.init(field: field, value: value)
    }

    static func number(_ text: Substring) -> UInt32? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt32(text.dropFirst(2), radix: 16) }
        return UInt32(text, radix: 10)
    }

    /// `0x12.0x00.eax=0x00000803`, `0x12.0x00.eax[11]=1`
    public var description: String {
        let target = "\(LeafKey(field.leaf, field.subleaf)).\(String(describing: field.register).lowercased())"
        if field.width == 32 { return "\(target)=\(Hex.word(value))" }
        let bits = field.isSingleBit ? "[\(field.low)]" : "[\(field.high):\(field.low)]"
        return "\(target)\(bits)=0x\(String(value, radix: 16))"
    }
}
