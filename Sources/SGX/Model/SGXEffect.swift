/// What a successful operation did, in the terms a reader of a trace needs.
public enum SGXEffect: Hashable, Sendable, CustomStringConvertible {
    /// EENTER: entered at OENTRY in frame `cssa` (RAX = CSSA).
    case entered(cssa: UInt32)
    /// Plain ERESUME: restored SSA[cssa] and popped it.
    case resumed(cssa: UInt32)
    /// Notifying ERESUME: entered the handler at OENTRY in frame `cssa`, nothing popped.
    case notified(cssa: UInt32)
    /// EEXIT: left the enclave.
    case exited
    /// AEX: saved the thread into SSA[frame] and left the enclave.
    case asynchronousExit(frame: UInt32)
    /// An interrupt outside enclave mode: ordinary delivery, no AEX.
    case deliveredOutsideEnclave
    /// EDECCSSA: CSSA lowered to `cssa`.
    case decremented(cssa: UInt32)
    /// Enclave software wrote SSA[frame].AEXNOTIFY.
    case wroteAEXNotify(frame: UInt32, value: UInt8)
    /// Software outside enclave mode cannot write EPC: abort-page semantics drop the write.
    case writeDropped(frame: UInt32)
    case setXSAVEArea(frame: UInt32, valid: Bool)
    case evicted(ThreadPage)
    case reloaded(ThreadPage)

    public var description: String {
        switch self {
        case let .entered(cssa): "entered at OENTRY, RAX = CSSA = \(cssa)"
        case let .resumed(cssa): "restored SSA[\(cssa)], CSSA -= 1"
        case let .notified(cssa): "AEX notification: entered at OENTRY in SSA[\(cssa)], CSSA kept"
        case .exited: "left the enclave, RIP = RBX"
        case let .asynchronousExit(frame): "saved state to SSA[\(frame)], CSSA += 1, RIP = AEP"
        case .deliveredOutsideEnclave: "outside enclave mode: delivered normally, no AEX"
        case let .decremented(cssa): "CSSA -= 1 (now \(cssa))"
        case let .wroteAEXNotify(frame, value): "SSA[\(frame)].AEXNOTIFY = \(value)"
        case let .writeDropped(frame): "write to SSA[\(frame)] dropped: outside enclave mode EPC has abort-page semantics"
        case let .setXSAVEArea(frame, valid): "SSA[\(frame)] XSAVE area \(valid ? "valid" : "corrupted")"
        case let .evicted(page): "\(page) page evicted"
        case let .reloaded(page): "\(page) page reloaded"
        }
    }
}
