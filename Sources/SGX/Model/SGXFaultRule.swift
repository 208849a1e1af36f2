/// Every check that makes an operation fault, as a table: which fault, the rule, and where it comes from.
///
/// The order of cases is the order in which the model evaluates them within an operation.
/// Rules marked inferred are not spelled out by the SDM; `InferredRule` lists why they are believed.
public enum SGXFaultRule: String, Hashable, Sendable, CaseIterable, Codable {
    // ENCLU-level checks, every leaf.
    case sgx1NotEnumerated
    case leafNotEnumerated
    case entryInsideEnclave
    case leafOutsideEnclave
    // Shared entry checks E(tcs) of EENTER and ERESUME.
    case tcsPageInvalid
    case tcsNotInactive
    case tcsReservedFlags
    case enclaveNotInitialized
    case aexNotifyMismatch
    // EENTER.
    case eenterNoFreeFrame
    case eenterFramePageInvalid
    // ERESUME.
    case eresumeNoSavedFrame
    case eresumeSavedFramePageInvalid
    case eresumeNotifyNoFreeFrame
    case eresumeNotifyFramePageInvalid
    case eresumeXRSTORFailure
    // EDECCSSA.
    case edeccssaAtFrameZero
    case edeccssaFramePageInvalid

    /// One row per rule: the fault, the rule in words, the source, whether it is inferred.
    public var row: (fault: ArchitecturalFault, statement: String, source: String, inferred: Bool) {
        switch self {
        case .sgx1NotEnumerated:             (.invalidOpcode, "ENCLU needs SGX1: CPUID.(EAX=12H,ECX=0):EAX[0] = 0", "SDM ENCLU leaf pages, #UD condition", false)
        case .leafNotEnumerated:             (.generalProtection, "ENCLU[EDECCSSA] is not enumerated: CPUID.(EAX=12H,ECX=0):EAX[11] = 0", "SDM ENCLU: unsupported leaf is #GP(0)", false)
        case .entryInsideEnclave:            (.generalProtection, "EENTER/ERESUME executed inside enclave mode", "SDM EENTER/ERESUME protected-mode exceptions", false)
        case .leafOutsideEnclave:            (.generalProtection, "EEXIT/EDECCSSA executed outside enclave mode", "SDM EEXIT/EDECCSSA protected-mode exceptions", false)
        case .tcsPageInvalid:                (.pageFault, "the TCS page is not a valid EPC page", "SDM EENTER/ERESUME: EPCM check of DS:RBX", false)
        case .tcsNotInactive:                (.generalProtection, "TCS.STATE is ACTIVE: another logical processor runs this thread", "SDM EENTER/ERESUME: TCS not available", false)
        case .tcsReservedFlags:              (.generalProtection, "a must-be-zero TCS.FLAGS bit is set", "SDM EENTER/ERESUME: TCS.FLAGS must-be-zero bits", false)
        case .enclaveNotInitialized:         (.generalProtection, "the enclave is not initialized (EINIT has not succeeded)", "SDM EENTER/ERESUME: SECS not initialized", false)
        case .aexNotifyMismatch:             (.generalProtection, "SECS.ATTRIBUTES.AEXNOTIFY != TCS.FLAGS.AEXNOTIFY and TCS.FLAGS.DBGOPTIN = 0", "SDM EENTER/ERESUME faulting conditions", false)
        case .eenterNoFreeFrame:             (.generalProtection, "EENTER with TCS.CSSA >= TCS.NSSA: no free SSA frame", "SDM 40.1 (EENTER: CSSA must be less than NSSA)", false)
        case .eenterFramePageInvalid:        (.pageFault, "EENTER: the page of SSA[CSSA] is not a valid EPC page", "SDM EENTER: SSA frame not valid", false)
        case .eresumeNoSavedFrame:           (.generalProtection, "ERESUME with TCS.CSSA = 0: no saved frame to resume", "SDM ERESUME operation", false)
        case .eresumeSavedFramePageInvalid:  (.pageFault, "ERESUME: the page of SSA[CSSA-1] is not a valid EPC page", "SDM ERESUME: SSA frame not valid", false)
        case .eresumeNotifyNoFreeFrame:      (.generalProtection, "notifying ERESUME with TCS.CSSA >= TCS.NSSA: no free SSA frame for the handler", "SDM ERESUME operation (AEX-Notify delivery)", false)
        case .eresumeNotifyFramePageInvalid: (.pageFault, "notifying ERESUME: the page of SSA[CSSA] is not a valid EPC page", "by analogy with EENTER's SSA[CSSA] check", true)
        case .eresumeXRSTORFailure:          (.generalProtection, "plain ERESUME: the XSAVE area of SSA[CSSA-1] does not restore (XRSTOR fails); TCS.STATE goes back to INACTIVE", "SDM ERESUME faulting conditions (XSAVE area checks)", false)
        case .edeccssaAtFrameZero:           (.generalProtection, "EDECCSSA with TCS.CSSA = 0", "SDM EDECCSSA faulting conditions", false)
        case .edeccssaFramePageInvalid:      (.pageFault, "EDECCSSA: the page of SSA[CSSA-1] is not a valid EPC page", "SDM EDECCSSA: SSA frame not valid", false)
        }
    }

    public var fault: ArchitecturalFault { row.fault }
    public var statement: String { row.statement }
    public var source: String { row.source }
    public var isInferred: Bool { row.inferred }
}
