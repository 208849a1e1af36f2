/// The semantics: each operation checks every fault rule before it changes anything,
/// so a faulting operation leaves the state exactly as it was (see the shared facts, facts/sgx.md).
extension EnclaveThreadState {
    /// Returns the state after `operation`, or the fault it raises.
    public func applying(_ operation: SGXOperation) throws(SGXFault) -> EnclaveThreadState {
        var next = self
        _ = try next.perform(operation)
        return next
    }

    /// Performs `operation` in place and says what it did; on a fault nothing has changed.
    @discardableResult
    public mutating func perform(_ operation: SGXOperation) throws(SGXFault) -> SGXEffect {
        switch operation {
        case .eenter: return try enter()
        case .eresume: return try resume()
        case .eexit: return try exit()
        case .edeccssa: return try decrementCSSA()
        case let .aex(cause): return asynchronousExit(cause)
        case let .writeAEXNotify(frame, value): return writeAEXNotify(frame: frame, value: value)
        case let .setXSAVEAreaValid(frame, valid):
            guard frame < frames.count else { return .writeDropped(frame: frame) }
            guard processor.isInEnclaveMode else { return .writeDropped(frame: frame) }
            frames[Int(frame)].isXSAVEAreaValid = valid
            return .setXSAVEArea(frame: frame, valid: valid)
        case let .evict(page):
            setPage(page, valid: false)
            return .evicted(page)
        case let .reload(page):
            setPage(page, valid: true)
            return .reloaded(page)
        }
    }

    // MARK: - ENCLU leaves

    /// The ENCLU leaves the model executes, with their leaf numbers. Software loads the number into EAX
    /// before ENCLU; the model does not track that load, so RAX changes only where an operation writes it.
    enum Leaf: UInt64 {
        case eenter = 2, eresume = 3, eexit = 4, edeccssa = 9
    }

    /// Checks made for every ENCLU leaf before the leaf's own checks.
    private func checkENCLU(_ leaf: Leaf) throws(SGXFault) {
        guard platform.sgx1 else { throw SGXFault(.sgx1NotEnumerated) }
        if leaf == .edeccssa && !platform.edeccssa { throw SGXFault(.leafNotEnumerated) }
        switch leaf {
        case .eenter, .eresume:
            if processor.isInEnclaveMode { throw SGXFault(.entryInsideEnclave) }
        case .eexit, .edeccssa:
            if !processor.isInEnclaveMode { throw SGXFault(.leafOutsideEnclave) }
        }
    }

    /// E(tcs): the entry checks EENTER and ERESUME share.
    private func checkEntry() throws(SGXFault) {
        guard tcs.isPageValid else { throw SGXFault(.tcsPageInvalid) }
        guard tcs.state == .inactive else { throw SGXFault(.tcsNotInactive) }
        let reserved = TCSFlags.reserved(aexNotifySupported: platform.aexNotifyAttribute)
        guard tcs.flags.rawValue & reserved == 0 else { throw SGXFault(.tcsReservedFlags) }
        guard enclave.isInitialized else { throw SGXFault(.enclaveNotInitialized) }
        let matches = tcs.flags.contains(.aexNotify) == enclave.requestsAEXNotify
        guard matches || tcs.flags.contains(.debugOptIn) else { throw SGXFault(.aexNotifyMismatch) }
    }

    /// Enters at OENTRY in frame CSSA: shared by EENTER and a notifying ERESUME.
    private mutating func enterAtEntryPoint(callSite: UInt64) {
        let cssa = Int(tcs.cssa)
        // Writing only what differs keeps the frames' storage shared with the previous state (no copy).
        if frames[cssa].gprsgx.ursp != processor.rsp || frames[cssa].gprsgx.urbp != processor.rbp {
            frames[cssa].gprsgx.ursp = processor.rsp
            frames[cssa].gprsgx.urbp = processor.rbp
        }
        tcs.aep = processor.rcx
        tcs.state = .active
        processor.isInEnclaveMode = true
        processor.currentTCS = tcs.address
        processor.rax = UInt64(tcs.cssa)
        processor.rcx = callSite + ThreadLayout.encluLength
        processor.rip = enclave.baseAddress + tcs.oentry
    }

    private mutating func enter() throws(SGXFault) -> SGXEffect {
        try checkENCLU(.eenter)
        try checkEntry()
        guard tcs.cssa < tcs.nssa else { throw SGXFault(.eenterNoFreeFrame) }
        guard isFramePageValid(tcs.cssa) else { throw SGXFault(.eenterFramePageInvalid) }
        // The runtime loads RBX = TCS and RCX = AEP and runs EENTER at its call site.
        processor.rbx = tcs.address
        processor.rcx = ThreadLayout.aep
        enterAtEntryPoint(callSite: ThreadLayout.enterSite)
        return .entered(cssa: tcs.cssa)
    }

    /// Whether ERESUME would deliver an AEX notification rather than resume.
    public var eresumeWouldNotify: Bool {
        guard tcs.cssa > 0, let saved = frame(tcs.cssa - 1) else { return false }
        return tcs.flags.contains(.aexNotify) && saved.gprsgx.requestsNotification
    }

    private mutating func resume() throws(SGXFault) -> SGXEffect {
        try checkENCLU(.eresume)
        try checkEntry()
        guard tcs.cssa > 0 else { throw SGXFault(.eresumeNoSavedFrame) }
        guard isFramePageValid(tcs.cssa - 1) else { throw SGXFault(.eresumeSavedFramePageInvalid) }
        if eresumeWouldNotify {
            guard tcs.cssa < tcs.nssa else { throw SGXFault(.eresumeNotifyNoFreeFrame) }
            if InferredRule.Enabled.notifyingEResumeChecksHandlerFramePage {
                guard isFramePageValid(tcs.cssa) else { throw SGXFault(.eresumeNotifyFramePageInvalid) }
            }
            processor.rbx = tcs.address
            processor.rcx = ThreadLayout.aep
            let callSite = ThreadLayout.aep
            enterAtEntryPoint(callSite: callSite)
            if !InferredRule.Enabled.notifyingEResumeReturnsAddressAfterENCLU { processor.rcx = ThreadLayout.aep }
            return .notified(cssa: tcs.cssa)
        }
        let savedIndex = Int(tcs.cssa - 1)
        // XRSTOR failure: STATE goes ACTIVE then back to INACTIVE, so nothing visible changes.
        guard frames[savedIndex].isXSAVEAreaValid else { throw SGXFault(.eresumeXRSTORFailure) }
        let saved = frames[savedIndex].gprsgx
        tcs.aep = ThreadLayout.aep
        tcs.cssa -= 1
        tcs.state = .active
        processor.isInEnclaveMode = true
        processor.currentTCS = tcs.address
        processor.rax = saved.rax
        processor.rbx = saved.rbx
        processor.rcx = saved.rcx
        processor.rsp = saved.rsp
        processor.rbp = saved.rbp
        processor.rip = saved.rip
        return .resumed(cssa: tcs.cssa)
    }

    private mutating func exit() throws(SGXFault) -> SGXEffect {
        try checkENCLU(.eexit)
        // Enclave software loads RBX = the address after the runtime's EENTER. RAX is not written by EEXIT
        // (the leaf number software puts in EAX is not modelled; see docs/sgx.md).
        let target = ThreadLayout.returnAddress
        processor.rbx = target
        processor.rcx = tcs.aep
        processor.rip = target
        processor.isInEnclaveMode = false
        processor.currentTCS = nil
        tcs.state = .inactive
        return .exited
    }

    private mutating func decrementCSSA() throws(SGXFault) -> SGXEffect {
        try checkENCLU(.edeccssa)
        guard tcs.cssa > 0 else { throw SGXFault(.edeccssaAtFrameZero) }
        guard isFramePageValid(tcs.cssa - 1) else { throw SGXFault(.edeccssaFramePageInvalid) }
        // No register changes (the SDM's EDECCSSA writes only TCS.CSSA).
        tcs.cssa -= 1
        return .decremented(cssa: tcs.cssa)
    }

    // MARK: - Events and software writes

    private mutating func asynchronousExit(_ cause: AEXCause) -> SGXEffect {
        guard processor.isInEnclaveMode else { return .deliveredOutsideEnclave }
        // Inside enclave mode CSSA < NSSA always holds: EENTER, notifying ERESUME and EDECCSSA keep it.
        let index = Int(tcs.cssa)
        var saved = frames[index].gprsgx
        saved.rax = processor.rax
        saved.rbx = processor.rbx
        saved.rcx = processor.rcx
        saved.rsp = processor.rsp
        saved.rbp = processor.rbp
        saved.rip = processor.rip
        saved.exitInfo = cause.exitInfo
        if !InferredRule.Enabled.aexKeepsAEXNotifyByte { saved.aexNotify = 0 }
        if frames[index].gprsgx != saved { frames[index].gprsgx = saved }
        tcs.cssa += 1
        if InferredRule.Enabled.aexMarksThreadInactive { tcs.state = .inactive }
        processor.isInEnclaveMode = false
        processor.currentTCS = nil
        processor.rax = Leaf.eresume.rawValue
        processor.rbx = tcs.address
        processor.rcx = tcs.aep
        processor.rip = tcs.aep
        processor.rsp = saved.ursp
        processor.rbp = saved.urbp
        return .asynchronousExit(frame: UInt32(index))
    }

    private mutating func writeAEXNotify(frame: UInt32, value: UInt8) -> SGXEffect {
        guard frame < frames.count, processor.isInEnclaveMode else { return .writeDropped(frame: frame) }
        if frames[Int(frame)].gprsgx.aexNotify != value { frames[Int(frame)].gprsgx.aexNotify = value }
        return .wroteAEXNotify(frame: frame, value: value)
    }

    private mutating func setPage(_ page: ThreadPage, valid: Bool) {
        switch page {
        case .tcs: tcs.isPageValid = valid
        case let .ssa(frame): if frame < frames.count { frames[Int(frame)].isPageValid = valid }
        }
    }
}
