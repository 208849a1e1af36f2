/// One named bit or field of a feature MSR (IA32_ARCH_CAPABILITIES.MDS_NO, PERF_CAPABILITIES.PEBS_FORMAT),
/// so that decoders, the bug rules, KVM's model and guest policies all speak of it with the same name.
public struct FeatureMSRBit: Hashable, Sendable, CustomStringConvertible {
    /// The MSR index (ECX of RDMSR).
    public let msr: UInt32
    /// The MSR's short name as Linux spells it without `MSR_IA32_`/`MSR_`: `ARCH_CAPABILITIES`.
    public let register: String
    /// The bit's name as Linux's macro suffix spells it (`MDS_NO`), or the SDM's where Linux names none.
    public let name: String
    /// The lowest bit of the field.
    public let low: Int
    /// 1 for a flag, more for a field such as PEBS_FORMAT [11:8].
    public let width: Int
    /// The first carried release whose msr-index.h names it; nil when only the SDM (or a KVM comment) does.
    public let linuxSince: KernelVersion?
    /// QEMU's property name for the bit (`mds-no`), where QEMU has one.
    public let qemuName: String?
    /// What the bit says, in a few words.
    public let summary: String

    public init(msr: UInt32, register: String, name: String, low: Int, width: Int = 1, linuxSince: KernelVersion?,
                qemuName: String? = nil, summary: String) {
        self.msr = msr
        self.register = register
        self.name = name
        self.low = low
        self.width = width
        self.linuxSince = linuxSince
        self.qemuName = qemuName
        self.summary = summary
    }

    /// The bits the field covers.
    public var mask: UInt64 { (width >= 64 ? UInt64.max : ((1 << UInt64(width)) - 1)) << UInt64(low) }

    /// The field's value in an MSR value (0 or 1 for a flag).
    public func value(in msrValue: UInt64) -> UInt64 { (msrValue & mask) >> UInt64(low) }

    /// Whether a flag (or any bit of a field) is set.
    public func isSet(in msrValue: UInt64) -> Bool { msrValue & mask != 0 }

    /// `ARCH_CAPABILITIES.MDS_NO`
    public var label: String { "\(register).\(name)" }

    /// `MSR 0x10A bit 5`, `MSR 0x345 bits 11:8`
    public var citation: String {
        let index = "MSR 0x" + String(msr, radix: 16, uppercase: true)
        return width == 1 ? "\(index) bit \(low)" : "\(index) bits \(low + width - 1):\(low)"
    }

    /// Whether Linux `kernel` names the bit (release tables are per x.y).
    public func isNamed(by kernel: KernelVersion) -> Bool { linuxSince.map { $0 <= kernel.release } ?? false }

    public var description: String { "\(label) (\(citation))" }
}
