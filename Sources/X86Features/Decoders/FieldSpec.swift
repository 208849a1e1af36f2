import CPUID

/// One row of a leaf's field table: which bits of which register, the field's name, how it reads.
public struct FieldSpec: Sendable {
    public let register: Register
    public let high: Int
    public let low: Int
    public let name: String
    public let reading: FieldReading
    /// The field's bits within its register.
    public let mask: UInt32

    public init(_ register: Register, bits high: Int, _ low: Int, _ name: String, _ reading: FieldReading) {
        precondition(0 <= low && low <= high && high < 32, "bit range must lie within 0...31")
        self.register = register
        self.high = high
        self.low = low
        self.name = name
        self.reading = reading
        mask = CPUIDField.mask(bits: high, low)
    }

    /// A one-bit capability flag.
    public static func flag(_ register: Register, _ bit: Int, _ name: String) -> FieldSpec {
        FieldSpec(register, bits: bit, bit, name, .flag)
    }

    /// A multi-bit field, `[high:low]`.
    public static func bits(_ register: Register, _ high: Int, _ low: Int, _ name: String,
                            _ reading: FieldReading = .count) -> FieldSpec {
        FieldSpec(register, bits: high, low, name, reading)
    }
}

/// The fields of one register layout (a leaf, or one kind of subleaf), in the order they are shown.
/// Bits that no row names are reported as `unknown` when set, so nothing a CPU says goes unseen.
public struct FieldTable: Sendable {
    public let rows: [FieldSpec]
    private let named: (UInt32, UInt32, UInt32, UInt32)
    /// The longest row name, which sets the name column when the rows are printed.
    let nameWidth: Int
    /// Every row's text up to its meaning (`  EAX[3:0]   stepping   `), all `prefixLength` bytes long.
    private let prefixes: [UInt8]
    private let prefixLength: Int

    public init(_ rows: [FieldSpec]) {
        self.rows = rows
        var masks: [UInt32] = [0, 0, 0, 0]
        for row in rows { masks[row.register.rawValue] |= row.mask }
        named = (masks[0], masks[1], masks[2], masks[3])
        nameWidth = rows.map(\.name.utf8.count).max() ?? 0
        prefixLength = DecodeRenderer.locationWidth + nameWidth + 2
        var prefixes: [UInt8] = []
        prefixes.reserveCapacity(rows.count * prefixLength)
        for row in rows {
            prefixes += DecodeRenderer.location(register: row.register, high: row.high, low: row.low)
            prefixes += Array(row.name.utf8)
            prefixes += repeatElement(UInt8(ascii: " "), count: nameWidth + 2 - row.name.utf8.count)
        }
        self.prefixes = prefixes
    }

    /// Whether any set bit of this answer is named by no row (it would be listed as `unknown`).
    func hasUnnamedBits(_ registers: Registers) -> Bool {
        (registers.eax & ~named.0) | (registers.ebx & ~named.1) | (registers.ecx & ~named.2)
            | (registers.edx & ~named.3) != 0
    }

    /// Prints every row's line for one answer, as `DecodeRenderer` prints decoded fields, without
    /// building them. Callers print answers with unnamed bits through the fields instead.
    func render(_ registers: Registers, into out: inout TextOutput) {
        prefixes.withUnsafeBytes { prefixes in
            rows.withUnsafeBufferPointer { rows in
                for index in rows.indices {
                    let start = index * prefixLength
                    out.append(bytes: UnsafeRawBufferPointer(rebasing: prefixes[start..<start + prefixLength]))
                    let value = (registers[rows[index].register] & rows[index].mask) >> UInt32(rows[index].low)
                    rows[index].reading.render(value, into: &out)
                    out.append(10)
                }
            }
        }
    }

    /// Appends every row's field for one CPUID answer, then one `unknown` field per set unnamed bit.
    public func decode(leaf: UInt32, subleaf: UInt32, _ registers: Registers, into fields: inout [DecodedField]) {
        rows.withUnsafeBufferPointer { rows in
            for index in rows.indices {
                let register = rows[index].register
                let low = rows[index].low
                fields.append(DecodedField(
                    field: CPUIDField(leaf, subleaf, register, bits: rows[index].high, low),
                    name: rows[index].name,
                    value: (registers[register] & rows[index].mask) >> UInt32(low),
                    reading: rows[index].reading))
            }
        }
        appendUnknownBits(leaf: leaf, subleaf: subleaf, registers, into: &fields)
    }

    private func namedMask(_ register: Register) -> UInt32 {
        switch register {
        case .eax: named.0
        case .ebx: named.1
        case .ecx: named.2
        case .edx: named.3
        }
    }

    private func appendUnknownBits(leaf: UInt32, subleaf: UInt32, _ registers: Registers,
                                   into fields: inout [DecodedField]) {
        guard hasUnnamedBits(registers) else { return }
        for register in Register.allCases {
            var unnamed = registers[register] & ~namedMask(register)
            while unnamed != 0 {
                let bit = unnamed.trailingZeroBitCount
                unnamed &= unnamed - 1
                fields.append(DecodedField(field: CPUIDField(leaf, subleaf, register, bit: bit),
                                           name: "unknown", value: 1, reading: .flag))
            }
        }
    }
}

extension FieldTable {
    /// Appends the fields of one implemented leaf's answer; nothing when the CPU does not implement it.
    public func decode(leaf: UInt32, subleaf: UInt32 = 0, in snapshot: Snapshot, into fields: inout [DecodedField]) {
        guard ImplementedLeaves.contains(leaf, in: snapshot), let registers = snapshot.registers(leaf, subleaf) else {
            return
        }
        decode(leaf: leaf, subleaf: subleaf, registers, into: &fields)
    }
}
