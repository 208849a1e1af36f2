import CPUID
import X86Features

/// What a CPUID view enumerates about SGX that the enclave-thread model needs:
/// whether ENCLU works at all, whether EDECCSSA exists, and whether AEX-Notify may be requested.
public struct SGXPlatform: Hashable, Sendable {
    /// CPUID.(EAX=12H,ECX=0):EAX[0]; without it every ENCLU is #UD.
    public var sgx1: Bool
    /// CPUID.(EAX=12H,ECX=0):EAX[11]; without it ENCLU[EDECCSSA] is #GP(0).
    public var edeccssa: Bool
    /// CPUID.(EAX=12H,ECX=1):EAX[10]; without it SECS.ATTRIBUTES.AEXNOTIFY may not be set.
    public var aexNotifyAttribute: Bool

    public init(sgx1: Bool, edeccssa: Bool, aexNotifyAttribute: Bool) {
        self.sgx1 = sgx1
        self.edeccssa = edeccssa
        self.aexNotifyAttribute = aexNotifyAttribute
    }

    // Linux names these; their coordinates come from its tables.
    public static let sgx1Field = LinuxFeatureField.field("SGX1")
    public static let edeccssaField = LinuxFeatureField.field("SGX_EDECCSSA")
    public static let sgxField = LinuxFeatureField.field("SGX")
    /// SECS.ATTRIBUTES.AEXNOTIFY as leaf 12H sub-leaf 1 EAX enumerates it (SDM Vol. 3D); no Linux feature.
    public static let aexNotifyAttributeField = CPUIDField(0x12, 1, .eax, bit: 10)

    /// Reads the view; leaf 0x12 counts only when 7.0 EBX[2] (SGX) is set and leaf 0x12 is in range.
    public init(_ snapshot: Snapshot) {
        self.init(SGXEnumeration(snapshot))
    }

    /// The platform an SGX enumeration describes.
    public init(_ enumeration: SGXEnumeration) {
        sgx1 = enumeration.sgx1
        edeccssa = enumeration.edeccssa
        aexNotifyAttribute = enumeration.aexNotifyAttribute
    }

    /// A current SGX2 part with AEX-Notify: SGX1, EDECCSSA and the AEXNOTIFY attribute.
    public static let aexNotifyCapable = SGXPlatform(sgx1: true, edeccssa: true, aexNotifyAttribute: true)
}
