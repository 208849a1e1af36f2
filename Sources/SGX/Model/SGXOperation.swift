/// What made an AEX happen: an interrupt (or VM exit) or an exception with its vector.
public enum AEXCause: Hashable, Sendable, CustomStringConvertible {
    case interrupt
    case exception(vector: UInt8)

    /// The exception mnemonics people write, with their vectors.
    public static let exceptionVectors: [(name: String, vector: UInt8)] = [
        ("DE", 0), ("DB", 1), ("NMI", 2), ("BP", 3), ("OF", 4), ("BR", 5), ("UD", 6), ("NM", 7), ("DF", 8),
        ("TS", 10), ("NP", 11), ("SS", 12), ("GP", 13), ("PF", 14), ("MF", 16), ("AC", 17), ("MC", 18),
        ("XM", 19), ("VE", 20), ("CP", 21),
    ]

    public var description: String {
        switch self {
        case .interrupt: return "interrupt"
        case let .exception(vector):
            if let name = Self.exceptionVectors.first(where: { $0.vector == vector })?.name {
                return "exception #\(name) (vector \(vector))"
            }
            return "exception vector \(vector)"
        }
    }

    /// What AEX writes to GPRSGX.EXITINFO for this cause.
    public var exitInfo: ExitInfo {
        switch self {
        case .interrupt: .none
        case let .exception(vector): ExitInfo(vector: vector)
        }
    }
}

/// A page of the thread that the OS can evict (EWB) and load back (ELDU).
public enum ThreadPage: Hashable, Sendable, CustomStringConvertible {
    case tcs
    case ssa(frame: UInt32)

    public var description: String {
        switch self {
        case .tcs: "tcs"
        case let .ssa(frame): "ssa[\(frame)]"
        }
    }
}

/// One step of an enclave thread's life: an ENCLU leaf, an AEX, or a write by enclave or OS software.
public enum SGXOperation: Hashable, Sendable, CustomStringConvertible {
    /// The untrusted runtime runs ENCLU[EENTER] with RBX = TCS and RCX = AEP.
    case eenter
    /// Enclave software runs ENCLU[EEXIT] with RBX = the address after the runtime's EENTER.
    case eexit
    /// The runtime's AEP trampoline runs ENCLU[ERESUME] with RBX = TCS and RCX = AEP.
    case eresume
    /// Enclave software runs ENCLU[EDECCSSA].
    case edeccssa
    /// An interrupt, VM exit or exception arrives; inside enclave mode it causes an AEX.
    case aex(AEXCause)
    /// Enclave software writes byte 167 of SSA[frame].GPRSGX (AEXNOTIFY).
    case writeAEXNotify(frame: UInt32, value: UInt8)
    /// Enclave software makes SSA[frame]'s XSAVE area restorable (true) or corrupts it (false).
    case setXSAVEAreaValid(frame: UInt32, valid: Bool)
    /// The OS evicts a page of the thread (EWB): the next access to it is #PF.
    case evict(ThreadPage)
    /// The OS loads an evicted page back (ELDU).
    case reload(ThreadPage)

    public var description: String {
        switch self {
        case .eenter: "EENTER"
        case .eexit: "EEXIT"
        case .eresume: "ERESUME"
        case .edeccssa: "EDECCSSA"
        case let .aex(cause): cause == .interrupt ? "AEX" : "AEX (\(cause))"
        case let .writeAEXNotify(frame, value): "set ssa[\(frame)].aexnotify=\(value)"
        case let .setXSAVEAreaValid(frame, valid): "set ssa[\(frame)].xsave=\(valid ? "valid" : "invalid")"
        case let .evict(page): "evict \(page)"
        case let .reload(page): "reload \(page)"
        }
    }
}
