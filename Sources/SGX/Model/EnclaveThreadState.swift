/// Everything the model knows about one enclave thread at an instruction boundary:
/// the platform, the enclave, the thread's TCS and SSA frames, and the logical processor.
///
/// A value: operations return a new state or a fault, and equal states are interchangeable
/// (the explorer deduplicates on this equality).
public struct EnclaveThreadState: Hashable, Sendable {
    public var platform: SGXPlatform
    public var enclave: Enclave
    public var tcs: ThreadControlStructure
    /// SSA[0] ..< SSA[NSSA].
    public var frames: [SSAFrame]
    public var processor: LogicalProcessor

    public init(platform: SGXPlatform, enclave: Enclave, tcs: ThreadControlStructure, frames: [SSAFrame],
                processor: LogicalProcessor) {
        self.platform = platform
        self.enclave = enclave
        self.tcs = tcs
        self.frames = frames
        self.processor = processor
    }

    /// A freshly initialized enclave with one thread, outside enclave mode, CSSA = 0, every SSA byte 0,
    /// and the untrusted runtime about to run EENTER.
    public init(configuration: EnclaveConfiguration) {
        let platform = configuration.platform
        var flags: SECSAttributeFlags = [.initialized, .mode64Bit]
        if configuration.attributeAEXNotify { flags.insert(.aexNotify) }
        if configuration.attributeDebug { flags.insert(.debug) }
        let initialization: EnclaveInitialization
        if configuration.attributeAEXNotify && !platform.aexNotifyAttribute {
            initialization = .aexNotifyAttributeNotAllowed
        } else {
            initialization = configuration.initialized ? .initialized : .notInitialized
        }
        if initialization != .initialized { flags.remove(.initialized) }
        var tcsFlags: TCSFlags = []
        if configuration.tcsAEXNotify { tcsFlags.insert(.aexNotify) }
        if configuration.tcsDebugOptIn { tcsFlags.insert(.debugOptIn) }
        var processor = LogicalProcessor()
        processor.rip = ThreadLayout.enterSite
        processor.rbx = ThreadLayout.tcsAddress
        processor.rcx = ThreadLayout.aep
        processor.rsp = ThreadLayout.untrustedStack
        processor.rbp = ThreadLayout.untrustedStack
        self.init(
            platform: platform,
            enclave: Enclave(baseAddress: ThreadLayout.enclaveBase, attributes: SECSAttributes(flags: flags),
                             initialization: initialization),
            tcs: ThreadControlStructure(address: ThreadLayout.tcsAddress, flags: tcsFlags, ossa: ThreadLayout.ossa,
                                        nssa: configuration.nssa, oentry: ThreadLayout.oentry),
            frames: Array(repeating: SSAFrame(), count: Int(configuration.nssa)),
            processor: processor)
    }

    public var cssa: UInt32 { tcs.cssa }
    public var nssa: UInt32 { tcs.nssa }
    public var isInEnclaveMode: Bool { processor.isInEnclaveMode }

    /// The frame SSA[index], when it exists.
    public func frame(_ index: UInt32) -> SSAFrame? {
        index < frames.count ? frames[Int(index)] : nil
    }

    /// Whether the page of a frame is valid; frames beyond the stack have no valid page.
    func isFramePageValid(_ index: UInt32) -> Bool {
        index < frames.count && frames[Int(index)].isPageValid
    }
}
