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
