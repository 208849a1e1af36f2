/// The rules of the model that no primary source states outright, in one place so that they can be corrected.
///
/// Each behaviour constant below is read by the operations; flipping one changes the model everywhere.
public enum InferredRule: String, CaseIterable, Sendable, Codable {
    case aexMarksThreadInactive
    case notifyingEResumeReturnsAddressAfterENCLU
    case aexKeepsAEXNotifyByte
    case tcsAEXNotifyFlagReservedWithoutSupport
    case notifyingEResumeChecksHandlerFramePage
    case faultInsideEnclaveIsSeparateAEX

    /// What the model assumes and why.
    public var statement: (rule: String, basis: String) {
        switch self {
        case .aexMarksThreadInactive:                   ("AEX sets TCS.STATE = INACTIVE", "ERESUME requires an INACTIVE TCS after an AEX, so the AEX must release it")
        case .notifyingEResumeReturnsAddressAfterENCLU: ("a notifying ERESUME sets RCX to the address after ENCLU, like EENTER", "it enters at OENTRY like EENTER; shared facts, sgx.md")
        case .aexKeepsAEXNotifyByte:                    ("AEX does not change the AEXNOTIFY byte of the frame it saves into", "the Intel SGX SDK arms the byte once and relies on it across AEXs")
        case .tcsAEXNotifyFlagReservedWithoutSupport:   ("TCS.FLAGS.AEXNOTIFY is a must-be-zero bit when CPUID.(EAX=12H,ECX=1):EAX[10] = 0", "the SDM defines TCS.FLAGS bit 1 only for processors that support AEX-Notify")
        case .notifyingEResumeChecksHandlerFramePage:   ("a notifying ERESUME faults with #PF when the page of SSA[CSSA] is invalid", "it saves URSP/URBP into SSA[CSSA] as EENTER does")
        case .faultInsideEnclaveIsSeparateAEX:          ("a fault raised inside enclave mode is reported without the AEX that hardware delivers next; write `aex exception N` for it", "keeps every operation atomic: a faulting operation changes nothing")
        }
    }

    /// Behaviour switches read by the operations: set one to false to drop that assumption.
    enum Enabled {
        static let aexMarksThreadInactive = true
        static let notifyingEResumeReturnsAddressAfterENCLU = true
        static let aexKeepsAEXNotifyByte = true
        static let tcsAEXNotifyFlagReservedWithoutSupport = true
        static let notifyingEResumeChecksHandlerFramePage = true
    }
}
