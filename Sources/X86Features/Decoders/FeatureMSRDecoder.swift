import CPUID

/// One decoded field of a feature MSR: where it lies, its name and what its value means.
public struct DecodedMSRField: Hashable, Sendable {
    public var msr: UInt32
    /// The catalogue's name, `unknown` for a set bit no one names, `revision` for UCODE_REV.
    public var name: String
    public var low: Int
    public var width: Int
    public var value: UInt64
    public var meaning: String

    /// `bit 5`, `bits 11:8`, `bits 63:32`
    public var location: String { width == 1 ? "bit \(low)" : "bits \(low + width - 1):\(low)" }
}

/// Decodes the feature MSRs a snapshot carries: every named bit of ARCH_CAPABILITIES, CORE_CAPS,
/// PERF_CAPABILITIES, PLATFORM_INFO and TSX_CTRL, the microcode revision by the vendor's layout, and set bits
/// no one names as `unknown`, so nothing the CPU says is hidden.
public enum FeatureMSRDecoder {
    public static func decode(_ msr: MSR, vendor: CPUVendor) -> [DecodedMSRField] {
        guard let value = msr.value.bits else {
            return [DecodedMSRField(msr: msr.index, name: "read", low: 0, width: 64, value: 0, meaning: "read faulted (#GP)")]
        }
        if msr.index == FeatureMSRBits.microcodeRevision {
            // Intel keeps the revision in the high dword (after writing 0 and running CPUID(1)); AMD's patch
            // level is the low dword.
            let amd = vendor.followsAMD
            let revision = amd ? value & 0xFFFF_FFFF : value >> 32
            return [DecodedMSRField(msr: msr.index, name: "revision", low: amd ? 0 : 32, width: 32, value: revision,
                                    meaning: "microcode revision 0x\(String(revision, radix: 16)) (\(amd ? "AMD patch level, low dword" : "Intel, high dword"))")]
        }
        let bits = FeatureMSRBits.bits(of: msr.index)
        guard !bits.isEmpty else { return [] }
        var fields: [DecodedMSRField] = []
        var named: UInt64 = 0
        for bit in bits {
            named |= bit.mask
            let fieldValue = bit.value(in: value)
            let since = bit.linuxSince.map { " (Linux ≥ \($0))" } ?? ""
            let reading = bit.width == 1 ? (fieldValue != 0 ? "yes" : "no") : "\(fieldValue)"
            fields.append(DecodedMSRField(msr: msr.index, name: bit.name, low: bit.low, width: bit.width, value: fieldValue,
                                          meaning: "\(reading) — \(bit.summary)\(since)"))
        }
        let unknown = value & ~named
        for n in 0..<64 where unknown & (1 << UInt64(n)) != 0 {
            fields.append(DecodedMSRField(msr: msr.index, name: "unknown", low: n, width: 1, value: 1,
                                          meaning: "set, but no release of Linux and no SDM row vcpuid carries names it"))
        }
        return fields.sorted { $0.low < $1.low }
    }
}
