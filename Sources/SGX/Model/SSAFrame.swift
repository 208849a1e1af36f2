/// GPRSGX.EXITINFO: which exception caused an AEX (vector [7:0], type [10:8], valid [31]).
public struct ExitInfo: Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Hardware exception type 3; software exceptions (#BP, #OF) type 6.
    public init(vector: UInt8) {
        let type: UInt32 = vector == 3 || vector == 4 ? 6 : 3
        rawValue = UInt32(vector) | type << 8 | 1 << 31
    }

    public static let none = ExitInfo(rawValue: 0)

    public var isValid: Bool { rawValue & (1 << 31) != 0 }
    public var vector: UInt8 { UInt8(truncatingIfNeeded: rawValue) }
    public var type: UInt8 { UInt8((rawValue >> 8) & 0x7) }
}

/// The GPRSGX area at the end of an SSA frame: what AEX saved, plus the AEXNOTIFY byte software controls.
public struct GPRSGX: Hashable, Sendable {
    public var rax: UInt64 = 0
    public var rbx: UInt64 = 0
    public var rcx: UInt64 = 0
    public var rsp: UInt64 = 0
    public var rbp: UInt64 = 0
    public var rip: UInt64 = 0
    /// The untrusted RSP/RBP saved by EENTER (and a notifying ERESUME), restored on AEX.
    public var ursp: UInt64 = 0
    public var urbp: UInt64 = 0
    public var exitInfo: ExitInfo = .none
    /// Offset 167 of GPRSGX; bit 0 asks for a notification on ERESUME from this frame.
    public var aexNotify: UInt8 = 0

    public init() {}

    public var requestsNotification: Bool { aexNotify & 1 != 0 }
}

/// One SSA frame: the GPRSGX area, and what the model tracks about the frame's pages and XSAVE area.
public struct SSAFrame: Hashable, Sendable {
    public var gprsgx = GPRSGX()
    /// Whether the frame's pages are valid EPC pages (false once the OS evicts one).
    public var isPageValid = true
    /// Whether the XSAVE area would restore with XRSTOR (enclave software may corrupt it).
    public var isXSAVEAreaValid = true

    public init() {}
}
