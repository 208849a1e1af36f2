/// SECS.ATTRIBUTES.FLAGS: what an enclave asked for at ECREATE (CPUID.(EAX=12H,ECX=1):EAX:EBX says what may be set).
public struct SECSAttributeFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let initialized = SECSAttributeFlags(rawValue: 1 << 0)
    public static let debug = SECSAttributeFlags(rawValue: 1 << 1)
    public static let mode64Bit = SECSAttributeFlags(rawValue: 1 << 2)
    public static let provisionKey = SECSAttributeFlags(rawValue: 1 << 4)
    public static let einitTokenKey = SECSAttributeFlags(rawValue: 1 << 5)
    public static let cet = SECSAttributeFlags(rawValue: 1 << 6)
    public static let kss = SECSAttributeFlags(rawValue: 1 << 7)
    /// Bit 10: the enclave may receive AEX notifications (Linux: SGX_ATTR_ASYNC_EXIT_NOTIFY).
    public static let aexNotify = SECSAttributeFlags(rawValue: 1 << 10)
}

/// SECS.ATTRIBUTES: the FLAGS and the XSAVE feature request mask (XFRM, in XCR0 format).
public struct SECSAttributes: Hashable, Sendable {
    public var flags: SECSAttributeFlags
    public var xfrm: UInt64

    public init(flags: SECSAttributeFlags, xfrm: UInt64 = 0x3) {
        self.flags = flags
        self.xfrm = xfrm
    }
}
