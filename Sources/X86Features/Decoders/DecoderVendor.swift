import CPUID

/// The CPU vendor as far as decoding cares: AMD and Hygon share AMD's meanings of the extended
/// leaves and of leaf 1 EBX; Intel, Zhaoxin and Centaur follow Intel's.
public enum DecoderVendor: Sendable, Hashable {
    case intel
    case amd
    case hygon
    case centaur
    case zhaoxin
    case other

    /// Reads leaf 0 EBX (the first four vendor bytes) without building the vendor string.
    public init(_ snapshot: Snapshot) {
        switch snapshot.value(0, 0, .ebx) {
        case 0x756e_6547: self = .intel      // "Genu" (GenuineIntel)
        case 0x6874_7541: self = .amd        // "Auth" (AuthenticAMD)
        case 0x6f67_7948: self = .hygon      // "Hygo" (HygonGenuine)
        case 0x746e_6543: self = .centaur    // "Cent" (CentaurHauls)
        case 0x6853_2020: self = .zhaoxin    // "  Sh" (  Shanghai  )
        default: self = .other
        }
    }

    /// Whether AMD's definitions of vendor-specific fields apply.
    public var followsAMD: Bool { self == .amd || self == .hygon }
}

/// Which leaves a CPU really implements: basic leaves up to leaf 0 EAX, extended leaves up to
/// 0x80000000 EAX, hypervisor leaves only under a hypervisor. Entries beyond these are not answers.
public enum LeafRange {
    public static func isImplemented(_ leaf: UInt32, in snapshot: Snapshot) -> Bool {
        switch leaf {
        case 0..<0x4000_0000:
            return snapshot.entry(0) != nil && leaf <= snapshot.maxBasicLeaf
        case 0x4000_0000..<0x5000_0000:
            guard snapshot.isSet(CPUIDField(1, 0, .ecx, bit: 31)) else { return false }
            let max = snapshot.value(leaf & 0xffff_ff00, 0, .eax)
            return leaf & 0xff == 0 ? snapshot.entry(leaf) != nil : leaf <= max
        case 0x8000_0000..<0x9000_0000:
            return snapshot.entry(0x8000_0000) != nil && leaf <= snapshot.maxExtendedLeaf
        default:
            return false
        }
    }
}
