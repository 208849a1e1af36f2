import CPUID

/// Leaf 0x12 (SGX) for people: subleaf 0 capabilities, MISCSELECT and enclave sizes; subleaf 1 the allowed
/// SECS attributes and XFRM; subleaves 2 and up the EPC sections.
public struct SGXLeafDecoder: LeafDecoder {
    public init() {}

    public var leaves: [UInt32] { [0x12] }

    public func decode(_ snapshot: Snapshot) -> [DecodedField] {
        guard !snapshot.subleaves(of: 0x12).isEmpty else { return [] }
        var fields: [DecodedField] = []
        let view = SGXEnumeration(snapshot)
        func flag(_ register: Register, subleaf: UInt32, _ bit: SGXEnumeration.Bit, value: UInt32) {
            let set = (value >> UInt32(bit.bit)) & 1
            fields.append(DecodedField(field: CPUIDField(0x12, subleaf, register, bit: bit.bit), name: bit.name,
                                       value: set, meaning: (set != 0 ? "yes: " : "no: ") + bit.meaning))
        }
        if snapshot.registers(0x12, 0) != nil {
            for bit in SGXEnumeration.capabilityBits { flag(.eax, subleaf: 0, bit, value: view.capabilities) }
            for bit in SGXEnumeration.miscSelectBits { flag(.ebx, subleaf: 0, bit, value: view.miscSelect) }
            fields.append(DecodedField(field: CPUIDField(0x12, 0, .edx, bits: 7, 0), name: "max_enclave_size_not64",
                                       value: view.maxEnclaveSizeNot64Log2,
                                       meaning: SGXEnumeration.formatLog2Size(view.maxEnclaveSizeNot64Log2) + " outside 64-bit mode"))
            fields.append(DecodedField(field: CPUIDField(0x12, 0, .edx, bits: 15, 8), name: "max_enclave_size_64",
                                       value: view.maxEnclaveSize64Log2,
                                       meaning: SGXEnumeration.formatLog2Size(view.maxEnclaveSize64Log2) + " in 64-bit mode"))
        }
        if let one = snapshot.entry(0x12, 1)?.registers {
            for bit in SGXEnumeration.attributeBits { flag(.eax, subleaf: 1, bit, value: one.eax) }
            fields.append(DecodedField(field: CPUIDField(0x12, 1, .ebx, bits: 31, 0), name: "ATTRIBUTES[63:32]",
                                       value: one.ebx, meaning: one.ebx == 0 ? "none (reserved)" : "reserved bits set: \(Hex.word(one.ebx))"))
            fields.append(DecodedField(field: CPUIDField(0x12, 1, .ecx, bits: 31, 0), name: "XFRM[31:0]", value: one.ecx,
                                       meaning: "XCR0 features an enclave may enable: \(Hex.word(one.ecx))"))
            fields.append(DecodedField(field: CPUIDField(0x12, 1, .edx, bits: 31, 0), name: "XFRM[63:32]", value: one.edx,
                                       meaning: Hex.word(one.edx)))
        }
        for entry in snapshot.subleaves(of: 0x12) where entry.subleaf >= 2 {
            let r = entry.registers
            let n = entry.subleaf
            let type = r.eax & 0xf
            let typeMeaning = switch type {
            case 0: "invalid: no more EPC sections"
            case 1: "EPC section"
            default: "reserved type"
            }
            fields.append(DecodedField(field: CPUIDField(0x12, n, .eax, bits: 3, 0), name: "epc_type", value: type, meaning: typeMeaning))
            guard let section = SGXEnumeration.section(entry) else { break }
            fields.append(DecodedField(field: CPUIDField(0x12, n, .eax, bits: 31, 12), name: "epc_base[31:12]",
                                       value: r.eax >> 12, meaning: "base 0x\(String(section.base, radix: 16))"))
            fields.append(DecodedField(field: CPUIDField(0x12, n, .ebx, bits: 19, 0), name: "epc_base[51:32]",
                                       value: r.ebx & 0xf_ffff, meaning: "base 0x\(String(section.base, radix: 16))"))
            fields.append(DecodedField(field: CPUIDField(0x12, n, .ecx, bits: 3, 0), name: "epc_property",
                                       value: section.property, meaning: section.propertyMeaning))
            fields.append(DecodedField(field: CPUIDField(0x12, n, .ecx, bits: 31, 12), name: "epc_size[31:12]",
                                       value: r.ecx >> 12, meaning: SGXEnumeration.formatBytes(section.size)))
            fields.append(DecodedField(field: CPUIDField(0x12, n, .edx, bits: 19, 0), name: "epc_size[51:32]",
                                       value: r.edx & 0xf_ffff, meaning: SGXEnumeration.formatBytes(section.size)))
        }
        return fields
    }
}
