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

extension EnclaveThreadState {
    /// One 64-bit digest of every field an operation can change, fed to the Hasher once: the explorer hashes
    /// millions of states, and ~50 separate `combine` calls dominated its time. Fields that no operation
    /// changes (platform, enclave, the TCS's layout and flags) are left out; equality still compares everything.
    public func hash(into hasher: inout Hasher) {
        var digest = StateDigest()
        digest.mix(UInt64(tcs.cssa) | (tcs.state == .active ? 1 << 32 : 0) | (processor.isInEnclaveMode ? 1 << 33 : 0)
                   | (tcs.isPageValid ? 1 << 34 : 0) | (processor.currentTCS == nil ? 0 : 1 << 35))
        digest.mix(tcs.aep)
        digest.mix(processor.rax)
        digest.mix(processor.rbx)
        digest.mix(processor.rcx)
        digest.mix(processor.rsp)
        digest.mix(processor.rbp)
        digest.mix(processor.rip)
        digest.mix(processor.currentTCS ?? 0)
        for frame in frames {
            let g = frame.gprsgx
            digest.mix(UInt64(g.aexNotify) | UInt64(g.exitInfo.rawValue) << 8 | (frame.isPageValid ? 1 << 40 : 0)
                       | (frame.isXSAVEAreaValid ? 1 << 41 : 0))
            digest.mix(g.rax)
            digest.mix(g.rbx)
            digest.mix(g.rcx)
            digest.mix(g.rsp)
            digest.mix(g.rbp)
            digest.mix(g.rip)
            digest.mix(g.ursp)
            digest.mix(g.urbp)
        }
        hasher.combine(digest.value)
    }
}

/// A multiply-rotate mixer (the core of wyhash/xxhash-style hashes): cheap, and every input bit
/// reaches every output bit after a few rounds. The Hasher seeds and finalizes the result.
private struct StateDigest {
    var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func mix(_ word: UInt64) {
        var x = (value ^ word) &* 0xBF58_476D_1CE4_E5B9
        x = (x << 31) | (x >> 33)
        value = x &* 0x94D0_49BB_1331_11EB
    }
}
