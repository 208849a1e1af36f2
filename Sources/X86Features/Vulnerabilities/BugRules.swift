import Synchronization

/// cpu_set_bug_bits() of common.c per release, as data: each bug (and IBRS_ENHANCED, which the function also
/// sets) with the releases whose code has that condition. Read from each carried release's common.c.
struct BugRule: Sendable {
    /// The X86_BUG_ (or, for `isBug == false`, X86_FEATURE_) suffix.
    var name: String
    var isBug: Bool
    var kernels: ClosedRange<KernelVersion>
    var condition: BugCondition
}

enum BugRules {
    private static func from(_ major: Int, _ minor: Int) -> ClosedRange<KernelVersion> {
        KernelVersion(major, minor)...KernelVersion(99, 99)
    }

    private static func range(_ a: (Int, Int), _ b: (Int, Int)) -> ClosedRange<KernelVersion> {
        KernelVersion(a.0, a.1)...KernelVersion(b.0, b.1)
    }

    private static let any = KernelVersion(0, 0)...KernelVersion(99, 99)

    /// Everything after the NO_SPECULATION early return.
    private static let speculates: BugCondition = .not(.whitelisted(.noSpeculation))
    private static let mmioImmune: BugCondition = .all([.ac("FBSDP_NO"), .ac("PSDP_NO"), .ac("SBDR_SSDP_NO")])
    private static let mds: [BugCondition] = [speculates, .not(.whitelisted(.noMDS)), .not(.ac("MDS_NO"))]
    private static let meltdown: [BugCondition] = [speculates, .not(.whitelisted(.noMeltdown)), .not(.ac("RDCL_NO"))]
    private static let its: [BugCondition] = [speculates, .not(.ac("ITS_NO")), .vendor(.intel), .not(.has("BHI_CTRL")),
                                              .any([.has("HYPERVISOR"), .blacklisted(.its)])]
    private static let eIBRSOrGuest: BugCondition = .any([.has("IBRS_ENHANCED"), .has("HYPERVISOR")])

    /// In the kernel's order (a rule reading IBRS_ENHANCED comes after the rule that sets it).
    static let all: [BugRule] = [
        BugRule(name: "OLD_MICROCODE", isBug: true, kernels: from(6, 17), condition: .oldMicrocode),
        BugRule(name: "ITLB_MULTIHIT", isBug: true, kernels: any,
                condition: .all([.not(.whitelisted(.noITLBMultihit)), .not(.ac("PSCHANGE_MC_NO"))])),
        BugRule(name: "SPECTRE_V1", isBug: true, kernels: any, condition: speculates),
        BugRule(name: "SPECTRE_V2", isBug: true, kernels: any, condition: .all([speculates, .not(.whitelisted(.noSpectreV2))])),
        BugRule(name: "SPECTRE_V2_USER", isBug: true, kernels: from(6, 17),
                condition: .all([speculates, .not(.whitelisted(.noSpectreV2))])),
        BugRule(name: "SPEC_STORE_BYPASS", isBug: true, kernels: any,
                condition: .all([speculates, .not(.whitelisted(.noSSB)), .not(.ac("SSB_NO")), .not(.has("AMD_SSB_NO"))])),
        BugRule(name: "IBRS_ENHANCED", isBug: false, kernels: range((0, 0), (6, 3)),
                condition: .all([speculates, .ac("IBRS_ALL")])),
        BugRule(name: "IBRS_ENHANCED", isBug: false, kernels: range((6, 4), (6, 8)),
                condition: .all([speculates, .any([.ac("IBRS_ALL"), .has("AUTOIBRS")])])),
        BugRule(name: "IBRS_ENHANCED", isBug: false, kernels: from(6, 9),
                condition: .all([speculates, .any([.ac("IBRS_ALL"), .all([.has("AUTOIBRS"), .not(.has("SEV_SNP"))])])])),
        BugRule(name: "EIBRS_PBRSB", isBug: true, kernels: from(6, 0),
                condition: .all([speculates, .has("IBRS_ENHANCED"), .not(.whitelisted(.noEIBRSPBRSB)), .not(.ac("PBRSB_NO"))])),
        BugRule(name: "MDS", isBug: true, kernels: any, condition: .all(mds)),
        BugRule(name: "MSBDS_ONLY", isBug: true, kernels: any, condition: .all(mds + [.whitelisted(.msbdsOnly)])),
        BugRule(name: "SWAPGS", isBug: true, kernels: any, condition: .all([speculates, .not(.whitelisted(.noSwapGS))])),
        BugRule(name: "TAA", isBug: true, kernels: any,
                condition: .all([speculates, .not(.ac("TAA_NO")), .any([.has("RTM"), .ac("TSX_CTRL_MSR")])])),
        BugRule(name: "SRBDS", isBug: true, kernels: range((0, 0), (5, 18)),
                condition: .all([speculates, .any([.has("RDRAND"), .has("RDSEED")]), .blacklisted(.srbds)])),
        BugRule(name: "SRBDS", isBug: true, kernels: from(5, 19),
                condition: .all([speculates, .any([.has("RDRAND"), .has("RDSEED")]), .blacklisted([.srbds, .mmioSBDS])])),
        BugRule(name: "MMIO_STALE_DATA", isBug: true, kernels: from(5, 19),
                condition: .all([speculates, .not(mmioImmune), .blacklisted(.mmio)])),
        BugRule(name: "MMIO_UNKNOWN", isBug: true, kernels: range((6, 0), (6, 16)),
                condition: .all([speculates, .not(mmioImmune), .not(.blacklisted(.mmio)), .not(.whitelisted(.noMMIO))])),
        BugRule(name: "RETBLEED", isBug: true, kernels: from(5, 19),
                condition: .all([speculates, .not(.has("BTC_NO")), .any([.blacklisted(.retbleed), .ac("RSBA")])])),
        BugRule(name: "SMT_RSB", isBug: true, kernels: from(6, 2), condition: .all([speculates, .blacklisted(.smtRSB)])),
        BugRule(name: "SRSO", isBug: true, kernels: from(6, 5),
                condition: .all([speculates, .not(.has("SRSO_NO")), .blacklisted(.srso)])),
        BugRule(name: "GDS", isBug: true, kernels: from(6, 5),
                condition: .all([speculates, .blacklisted(.gds), .not(.ac("GDS_NO")), .has("AVX")])),
        BugRule(name: "RFDS", isBug: true, kernels: from(6, 9),
                condition: .all([speculates, .not(.ac("RFDS_NO")), .any([.ac("RFDS_CLEAR"), .blacklisted(.rfds)])])),
        BugRule(name: "BHI", isBug: true, kernels: range((6, 9), (6, 16)),
                condition: .all([speculates, .not(.ac("BHI_NO")), .not(.whitelisted(.noBHI)), eIBRSOrGuest])),
        BugRule(name: "BHI", isBug: true, kernels: from(6, 17),
                condition: .all([speculates, .not(.whitelisted(.noBHI)), eIBRSOrGuest])),
        BugRule(name: "IBPB_NO_RET", isBug: true, kernels: from(6, 12),
                condition: .all([speculates, .has("AMD_IBPB"), .not(.has("AMD_IBPB_RET"))])),
        BugRule(name: "ITS", isBug: true, kernels: from(6, 17), condition: .all(its)),
        BugRule(name: "ITS_NATIVE_ONLY", isBug: true, kernels: from(6, 17),
                condition: .all(its + [.blacklisted(.itsNativeOnly)])),
        BugRule(name: "TSA", isBug: true, kernels: from(6, 17),
                condition: .all([speculates, .vendor(.amd), .not(.all([.has("TSA_SQ_NO"), .has("TSA_L1_NO")])),
                                 .any([.blacklisted(.tsa), .all([.has("HYPERVISOR"), .setLater("ZEN", by: "amd.c init_amd()")])])])),
        BugRule(name: "VMSCAPE", isBug: true, kernels: from(6, 17),
                condition: .all([speculates, .blacklisted(.vmscape), .not(.has("HYPERVISOR"))])),
        BugRule(name: "CPU_MELTDOWN", isBug: true, kernels: any, condition: .all(meltdown)),
        BugRule(name: "L1TF", isBug: true, kernels: any, condition: .all(meltdown + [.not(.whitelisted(.noL1TF))])),
    ]

    /// The rules of one release with feature numbers resolved, built once per release.
    static func rules(for kernel: KernelProfile) -> [ResolvedBugRule] {
        if let built = cache.withLock({ $0[kernel.version] }) { return built }
        let rules = all.filter { $0.kernels.contains(kernel.version) }.compactMap { rule -> ResolvedBugRule? in
            let number = rule.isBug ? kernel.number(ofBug: rule.name) : kernel.number(ofFeature: rule.name)
            guard let number else { return nil }
            return ResolvedBugRule(name: rule.name, isBug: rule.isBug, number: number,
                                   condition: rule.condition.resolved(in: kernel))
        }
        cache.withLock { $0[kernel.version] = rules }
        return rules
    }

    /// The names the rules decide in some release (the CPUID-only rules leave these alone).
    static let names: Set<String> = Set(all.map(\.name))

    private static let cache = Mutex<[KernelVersion: [ResolvedBugRule]]>([:])
}

/// A rule of one release, ready to evaluate.
struct ResolvedBugRule: Sendable {
    var name: String
    var isBug: Bool
    var number: FeatureNumber
    var condition: BugCondition
}
