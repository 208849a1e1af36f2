/// TCS.STATE: whether a logical processor is executing in the context of this TCS.
public enum TCSState: String, Hashable, Sendable, Codable {
    case inactive = "INACTIVE"
    case active = "ACTIVE"
}

/// TCS.FLAGS: bit 0 DBGOPTIN, bit 1 AEXNOTIFY, bits 63:2 must be zero.
public struct TCSFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let debugOptIn = TCSFlags(rawValue: 1 << 0)
    public static let aexNotify = TCSFlags(rawValue: 1 << 1)

    /// Bits that must be zero, given whether the processor supports AEX-Notify.
    public static func reserved(aexNotifySupported: Bool) -> UInt64 {
        let defined: UInt64 = aexNotifySupported || !InferredRule.Enabled.tcsAEXNotifyFlagReservedWithoutSupport ? 0b11 : 0b01
        return ~defined
    }
}

/// The thread control structure of one enclave thread: its state, flags and SSA stack bookkeeping.
public struct ThreadControlStructure: Hashable, Sendable {
    /// Linear address of the TCS page (what software passes in RBX).
    public var address: UInt64
    public var state: TCSState
    public var flags: TCSFlags
    /// Offset of SSA[0] from the enclave base.
    public var ossa: UInt64
    /// Current SSA frame: where the next AEX saves the thread's state.
    public var cssa: UInt32
    /// Number of SSA frames.
    public var nssa: UInt32
    /// Entry point offset from the enclave base, used by EENTER and a notifying ERESUME.
    public var oentry: UInt64
    /// Asynchronous exit pointer remembered from the last EENTER or ERESUME.
    public var aep: UInt64
    /// Whether the TCS page is a valid EPC page (false once the OS evicts it).
    public var isPageValid: Bool

    public init(address: UInt64, state: TCSState = .inactive, flags: TCSFlags, ossa: UInt64, cssa: UInt32 = 0,
                nssa: UInt32, oentry: UInt64, aep: UInt64 = 0, isPageValid: Bool = true) {
        self.address = address
        self.state = state
        self.flags = flags
        self.ossa = ossa
        self.cssa = cssa
        self.nssa = nssa
        self.oentry = oentry
        self.aep = aep
        self.isPageValid = isPageValid
    }
}
