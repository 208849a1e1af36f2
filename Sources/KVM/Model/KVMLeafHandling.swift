/// The per-leaf differences between kernels' `__do_cpuid_func()` that are not a capability word: which
/// leaves a release handles and how. A profile carries one value; a delta changes single fields.
///
/// Leaf changes that follow from a word existing (7.1 EDX, 7.1 ECX, 7.2, 0x80000007 EDX, 0x24) are read
/// from the profile's words instead and have no field here.
public struct KVMLeafHandling: Hashable, Sendable {
    /// How leaf 0x80000021 (AMD extended features 2) is built.
    public enum ExtendedFeatures2: Hashable, Sendable {
        /// No case for the leaf (5.10, 5.15): the default case would zero it, and KVM's max extended leaf
        /// stops at 0x8000001F anyway.
        case unhandled
        /// EAX &= bits 0, 2, 6 plus serializing LFENCE and NullSelectorClearsBase; `setsNoSMMCtl`
        /// adds bit 9 ("no SMM_CTL MSR") unconditionally, as 6.2 does.
        case passDown(setsNoSMMCtl: Bool)
        /// EAX (and ECX where the profile has the word) from KVM's capability words (6.3 on).
        case capabilityWords
    }

    /// How leaf 0x80000022 (AMD PerfMonV2) is built without a PMU or without PERFMON_V2 in KVM's caps.
    public enum PerfMonV2Leaf: Hashable, Sendable {
        /// No case for the leaf: the default case zeroes it (6.2 and 6.4.0 have none; 6.5.0 has one).
        case unhandled
        /// EAX takes the host's EBX and EBX stays the host's (6.6 and 6.12 write `eax = ebx`).
        case copiesHostEBX
        /// EAX = EBX = 0.
        case zeroes
    }

    /// Leaf 9 (DCA) passed through from the host; later kernels drop the case (default: zero).
    public var passesThroughLeaf9: Bool
    /// Leaf 0x12 handled (KVM's SGX support: 5.15 has it, 5.10 not); without it the default case zeroes subleaf 0.
    public var handlesSGXLeaf: Bool
    /// Leaves 0xB, 0x1F, 0x8000001E carry the host's topology (before 6.2).
    public var reportsHostTopology: Bool
    /// Reserved bits cleared in 0x80000001 EBX, 0x80000006 EDX, 0x80000008 ECX and 0x8000001F EBX
    /// (NumVMPL), 0x8000001A limited to EAX[2:0] (6.1 does; 5.15 passes them through).
    public var clearsReservedExtendedBits: Bool
    /// Leaf 0x8000001F comes from CPUID_8000_001F_EAX when KVM's caps have SEV (5.15); 5.10 passes the whole
    /// leaf through when the host kernel has SEV.
    public var hasSEVWord: Bool
    /// 0x80000008 without TDP reports the host kernel's MAXPHYADDR (5.15); 5.10 always the guest or raw width.
    public var usesHostPhysBitsWithoutTDP: Bool
    /// Leaf 0x80000000's max is raised to 0x80000021 for serializing LFENCE / NullSelectorClearsBase (6.1 on).
    public var raisesExtendedMaxFor21: Bool
    /// Leaf 0x80000005 (L1 cache and TLB) passed through (6.6 on; 6.1 and 6.2 zero it in the default case).
    public var passesThroughL1CacheLeaf: Bool
    public var extendedFeatures2: ExtendedFeatures2
    public var perfMonV2Leaf: PerfMonV2Leaf
    /// 0x80000008 EAX = PhysAddrSize | VirtAddrSize << 8 | GuestPhysAddrSize << 16 (6.12 has it; 6.6 not).
    public var reportsGuestPhysAddrSize: Bool
    /// Leaf 0xD subleaves' ECX[2] (XFD-capable) cleared when KVM's caps lack XFD (6.1 does; 5.15 not).
    public var clearsXFDFlagWithoutXFD: Bool
    /// AMX tile config leaves XCR0 along with tile data when the process lacks guest permission (6.6 does; 6.2 not).
    public var dropsTileConfigWithTileData: Bool
    /// IA32_XSS offers the CET states with SHSTK/IBT (6.18 on); before, supported_xss is 0.
    public var offersCETStates: Bool
    /// The Centaur range 0xC0000000 is walked on Zhaoxin hosts too (6.18 has it; 6.12 not).
    public var walksCentaurRangeOnZhaoxin: Bool
    /// The highest AVX10 version leaf 0x24 reports (1 before 7.0, 2 in 7.0).
    public var maxAVX10Version: UInt32 = 1
    /// 0x80000021 EBX keeps the RAP size (bits 23:16) when KVM's caps have ERAPS (7.0); before, EBX = 0.
    public var keepsRAPSizeWithERAPS = false

    /// Linux 6.1's `__do_cpuid_func()`, the base the other profiles change.
    public static let v6_1 = KVMLeafHandling(
        passesThroughLeaf9: false, handlesSGXLeaf: true, reportsHostTopology: true, clearsReservedExtendedBits: true,
        hasSEVWord: true, usesHostPhysBitsWithoutTDP: true, raisesExtendedMaxFor21: true,
        passesThroughL1CacheLeaf: false, extendedFeatures2: .passDown(setsNoSMMCtl: false), perfMonV2Leaf: .unhandled,
        reportsGuestPhysAddrSize: false, clearsXFDFlagWithoutXFD: true, dropsTileConfigWithTileData: false,
        offersCETStates: false, walksCentaurRangeOnZhaoxin: false
    )
}
