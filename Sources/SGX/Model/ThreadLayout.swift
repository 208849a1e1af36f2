/// Where the model places the enclave and the untrusted runtime in the address space.
/// The numbers are arbitrary but fixed, so that traces show recognisable RIP values.
public enum ThreadLayout {
    public static let enclaveBase: UInt64 = 0x7000_0000
    public static let tcsOffset: UInt64 = 0
    public static let ossa: UInt64 = 0x1000
    public static let oentry: UInt64 = 0x8000
    /// The untrusted runtime's EENTER instruction; execution continues 3 bytes later (ENCLU is 0F 01 D7).
    public static let enterSite: UInt64 = 0x40_1000
    /// The asynchronous exit pointer: the runtime's ERESUME trampoline.
    public static let aep: UInt64 = 0x40_1100
    public static let untrustedStack: UInt64 = 0x7ffd_f000
    public static let encluLength: UInt64 = 3

    public static var tcsAddress: UInt64 { enclaveBase + tcsOffset }
    public static var entryPoint: UInt64 { enclaveBase + oentry }
    public static var returnAddress: UInt64 { enterSite + encluLength }
}
