import CPUID
import Foundation
import X86Features
import XCTest

/// cpu_set_bug_bits() per carried release on synthetic dumps: every bug of every profile where it exists,
/// with whitelisted models, each ARCH_CAPABILITIES "_NO" bit, stepping ranges, core types and the hypervisor.
final class BugRulesTests: XCTestCase {
    // MARK: Synthetic CPUs

    /// ARCH_CAPABILITIES bits by name, from the shared catalogue.
    static func ac(_ names: String...) -> UInt64 {
        names.reduce(0) { $0 | FeatureMSRBits.bit(FeatureMSRBits.archCapabilities, named: $1)!.mask }
    }

    /// A small Intel (or AMD) dump: leaf 0/1/7/0xD/0x1A and the extended leaves, with the identity and bits the
    /// bug rules read. `archCapabilities` nil: CPUID.7.0:EDX[29] = 0; `.some(nil)`: enumerated but not sampled.
    static func cpu(vendor: CPUVendor = .intel, family: UInt32 = 6, model: UInt32, stepping: UInt32 = 0,
                    hypervisor: Bool = false, archCapabilities: UInt64?? = .some(.some(0)), rtm: Bool = false,
                    avx: Bool = true, rdrand: Bool = true, bhiCtrl: Bool = false, microcode: UInt32? = nil,
                    coreType: UInt32 = 0, extendedEBX: UInt32 = 0, extended21EAX: UInt32 = 0) -> Snapshot {
        let baseFamily = min(family, 0xF), extendedFamily = family > 0xF ? family - 0xF : 0
        let signature = stepping | (model & 0xF) << 4 | baseFamily << 8 | (model >> 4) << 16 | extendedFamily << 20
        let ecx1: UInt32 = 1 << 26 | 1 << 27 | (avx ? 1 << 28 : 0) | (rdrand ? 1 << 30 : 0) | (hypervisor ? 1 << 31 : 0)
        let name: (UInt32, UInt32, UInt32) = vendor == .amd ? (0x6874_7541, 0x6974_6E65, 0x444D_4163)
            : (0x756E_6547, 0x4965_6E69, 0x6C65_746E)
        let edx7: UInt32 = archCapabilities == nil ? 0 : 1 << 29
        var snapshot = Snapshot([
            CPUIDEntry(leaf: 0x0, eax: 0x1A, ebx: name.0, ecx: name.2, edx: name.1),
            CPUIDEntry(leaf: 0x1, eax: signature, ebx: 0x0010_0800, ecx: ecx1, edx: 0xBFEB_FBFF),
            CPUIDEntry(leaf: 0x7, subleaf: 0, eax: 2, ebx: rtm ? 1 << 11 : 0, ecx: 0, edx: edx7),
            CPUIDEntry(leaf: 0x7, subleaf: 2, eax: 0, ebx: 0, ecx: 0, edx: bhiCtrl ? 1 << 4 : 0),
            CPUIDEntry(leaf: 0xD, subleaf: 0, eax: 0x7, ebx: 0x340, ecx: 0x340, edx: 0),
            CPUIDEntry(leaf: 0x1A, eax: coreType << 24, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0021, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0001, eax: 0, ebx: 0, ecx: 0x121, edx: 0x2C10_0800),
            CPUIDEntry(leaf: 0x8000_0008, eax: 0x3030, ebx: extendedEBX, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0021, eax: extended21EAX, ebx: 0, ecx: 0, edx: 0),
        ])
        if case let .some(.some(value)) = archCapabilities { snapshot.setMSR(MSR(0x10A, .value(value))) }
        if let microcode { snapshot.setMSR(MSR(0x8B, .value(UInt64(microcode) << 32))) }
        return snapshot
    }

    // Intel family 6 models (intel-family.h).
    static let skylakeX: UInt32 = 0x55, skylake: UInt32 = 0x5E, saltwell: UInt32 = 0x36, silvermont: UInt32 = 0x37
    static let goldmont: UInt32 = 0x5C, goldmontPlus: UInt32 = 0x7A, sapphireRapids: UInt32 = 0x8F
    static let tigerLake: UInt32 = 0x8D, cometLakeL: UInt32 = 0xA6, iceLakeX: UInt32 = 0x6A, alderLake: UInt32 = 0x97

    /// One expectation: `expected(release)` is the bug's state there, nil where the case does not apply.
    struct Case {
        var bug: String
        var what: String
        var snapshot: Snapshot
        var expected: (KernelVersion) -> Bool?
    }

    static func always(_ value: Bool) -> (KernelVersion) -> Bool? { { _ in value } }

    static func since(_ major: Int, _ minor: Int, _ value: Bool) -> (KernelVersion) -> Bool? {
        { $0 >= KernelVersion(major, minor) ? value : !value }
    }

    static func between(_ from: KernelVersion, _ to: KernelVersion, _ value: Bool) -> (KernelVersion) -> Bool? {
        { ($0 >= from && $0 <= to) ? value : !value }
    }

    static var cases: [Case] {
        let amd17 = cpu(vendor: .amd, family: 0x17, model: 0x31, hypervisor: false, archCapabilities: nil,
                        extendedEBX: 1 << 12)
        let amd19 = cpu(vendor: .amd, family: 0x19, model: 0x01, hypervisor: false, archCapabilities: nil)
        return [
            Case(bug: "ITLB_MULTIHIT", what: "Skylake-X, AC = 0", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "ITLB_MULTIHIT", what: "PSCHANGE_MC_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("PSCHANGE_MC_NO")), expected: always(false)),
            Case(bug: "ITLB_MULTIHIT", what: "Goldmont whitelisted", snapshot: cpu(model: goldmont), expected: always(false)),
            Case(bug: "SPECTRE_V1", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "SPECTRE_V1", what: "Saltwell NO_SPECULATION", snapshot: cpu(model: saltwell), expected: always(false)),
            Case(bug: "SPECTRE_V2", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "SPECTRE_V2", what: "Saltwell NO_SPECULATION", snapshot: cpu(model: saltwell), expected: always(false)),
            Case(bug: "SPECTRE_V2_USER", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "SPECTRE_V2_USER", what: "Saltwell", snapshot: cpu(model: saltwell), expected: always(false)),
            Case(bug: "SPEC_STORE_BYPASS", what: "Skylake-X, AC = 0", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "SPEC_STORE_BYPASS", what: "SSB_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("SSB_NO")), expected: always(false)),
            Case(bug: "SPEC_STORE_BYPASS", what: "Silvermont NO_SSB", snapshot: cpu(model: silvermont), expected: always(false)),
            Case(bug: "EIBRS_PBRSB", what: "IBRS_ALL", snapshot: cpu(model: sapphireRapids, archCapabilities: ac("IBRS_ALL")), expected: always(true)),
            Case(bug: "EIBRS_PBRSB", what: "IBRS_ALL + PBRSB_NO", snapshot: cpu(model: sapphireRapids, archCapabilities: ac("IBRS_ALL", "PBRSB_NO")), expected: always(false)),
            Case(bug: "EIBRS_PBRSB", what: "Goldmont Plus NO_EIBRS_PBRSB", snapshot: cpu(model: goldmontPlus, archCapabilities: ac("IBRS_ALL")), expected: always(false)),
            Case(bug: "EIBRS_PBRSB", what: "no eIBRS", snapshot: cpu(model: sapphireRapids), expected: always(false)),
            Case(bug: "MDS", what: "Skylake-X, AC = 0", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "MDS", what: "MDS_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("MDS_NO")), expected: always(false)),
            Case(bug: "MDS", what: "Goldmont NO_MDS", snapshot: cpu(model: goldmont), expected: always(false)),
            Case(bug: "MDS", what: "no ARCH_CAPABILITIES at all", snapshot: cpu(model: skylakeX, archCapabilities: nil), expected: always(true)),
            Case(bug: "MSBDS_ONLY", what: "Silvermont", snapshot: cpu(model: silvermont), expected: always(true)),
            Case(bug: "MSBDS_ONLY", what: "Silvermont MDS_NO", snapshot: cpu(model: silvermont, archCapabilities: ac("MDS_NO")), expected: always(false)),
            Case(bug: "MSBDS_ONLY", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "SWAPGS", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "SWAPGS", what: "Silvermont NO_SWAPGS", snapshot: cpu(model: silvermont), expected: always(false)),
            Case(bug: "TAA", what: "RTM", snapshot: cpu(model: skylakeX, rtm: true), expected: always(true)),
            Case(bug: "TAA", what: "RTM + TAA_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("TAA_NO"), rtm: true), expected: always(false)),
            Case(bug: "TAA", what: "TSX_CTRL_MSR without RTM", snapshot: cpu(model: skylakeX, archCapabilities: ac("TSX_CTRL_MSR")), expected: always(true)),
            Case(bug: "TAA", what: "neither", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "SRBDS", what: "Skylake with RDRAND", snapshot: cpu(model: skylake), expected: always(true)),
            Case(bug: "SRBDS", what: "Skylake without RDRAND/RDSEED", snapshot: cpu(model: skylake, rdrand: false), expected: always(false)),
            Case(bug: "SRBDS", what: "Skylake-X not listed", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "SRBDS", what: "Comet Lake L stepping 0 (row without MMIO_SBDS)", snapshot: cpu(model: cometLakeL, stepping: 0), expected: always(false)),
            Case(bug: "SRBDS", what: "Comet Lake L stepping 1 (MMIO_SBDS)", snapshot: cpu(model: cometLakeL, stepping: 1), expected: since(5, 19, true)),
            Case(bug: "MMIO_STALE_DATA", what: "Skylake-X, AC = 0", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "MMIO_STALE_DATA", what: "FBSDP_NO+PSDP_NO+SBDR_SSDP_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("FBSDP_NO", "PSDP_NO", "SBDR_SSDP_NO")), expected: always(false)),
            Case(bug: "MMIO_STALE_DATA", what: "two of the three", snapshot: cpu(model: skylakeX, archCapabilities: ac("FBSDP_NO", "PSDP_NO")), expected: always(true)),
            Case(bug: "MMIO_STALE_DATA", what: "Sapphire Rapids not listed", snapshot: cpu(model: sapphireRapids), expected: always(false)),
            Case(bug: "MMIO_UNKNOWN", what: "Sapphire Rapids, AC = 0", snapshot: cpu(model: sapphireRapids), expected: between(KernelVersion(6, 0), KernelVersion(6, 16), true)),
            Case(bug: "MMIO_UNKNOWN", what: "Tiger Lake NO_MMIO", snapshot: cpu(model: tigerLake), expected: always(false)),
            Case(bug: "MMIO_UNKNOWN", what: "immune", snapshot: cpu(model: sapphireRapids, archCapabilities: ac("FBSDP_NO", "PSDP_NO", "SBDR_SSDP_NO")), expected: always(false)),
            Case(bug: "RETBLEED", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "RETBLEED", what: "Sapphire Rapids, AC = 0", snapshot: cpu(model: sapphireRapids), expected: always(false)),
            Case(bug: "RETBLEED", what: "Sapphire Rapids RSBA", snapshot: cpu(model: sapphireRapids, archCapabilities: ac("RSBA")), expected: always(true)),
            Case(bug: "RETBLEED", what: "AMD 0x17", snapshot: amd17, expected: always(true)),
            Case(bug: "SMT_RSB", what: "AMD 0x17", snapshot: amd17, expected: always(true)),
            Case(bug: "DIV0", what: "Zen 2 (family 0x17 model 0x31)", snapshot: amd17, expected: always(false)),
            Case(bug: "DIV0", what: "Zen 1 (family 0x17 model 0x01)", snapshot: cpu(vendor: .amd, family: 0x17, model: 0x01, archCapabilities: nil),
                 expected: always(true)),
            Case(bug: "SMT_RSB", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "SRSO", what: "AMD 0x17", snapshot: amd17, expected: always(true)),
            Case(bug: "SRSO", what: "AMD 0x19 SRSO_NO", snapshot: cpu(vendor: .amd, family: 0x19, model: 1, archCapabilities: nil, extended21EAX: 1 << 29), expected: always(false)),
            Case(bug: "SRSO", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "GDS", what: "Skylake-X with AVX", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "GDS", what: "GDS_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("GDS_NO")), expected: always(false)),
            Case(bug: "GDS", what: "no AVX", snapshot: cpu(model: skylakeX, avx: false), expected: always(false)),
            Case(bug: "RFDS", what: "Goldmont", snapshot: cpu(model: goldmont), expected: always(true)),
            Case(bug: "RFDS", what: "Goldmont RFDS_NO", snapshot: cpu(model: goldmont, archCapabilities: ac("RFDS_NO")), expected: always(false)),
            Case(bug: "RFDS", what: "Skylake-X RFDS_CLEAR", snapshot: cpu(model: skylakeX, archCapabilities: ac("RFDS_CLEAR")), expected: always(true)),
            Case(bug: "RFDS", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "RFDS", what: "Alder Lake Atom core", snapshot: cpu(model: alderLake, coreType: 0x20), expected: always(true)),
            Case(bug: "RFDS", what: "Alder Lake Core core", snapshot: cpu(model: alderLake, coreType: 0x40), expected: since(6, 17, false)),
            Case(bug: "BHI", what: "eIBRS", snapshot: cpu(model: sapphireRapids, archCapabilities: ac("IBRS_ALL")), expected: always(true)),
            Case(bug: "BHI", what: "no eIBRS, bare metal", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "BHI", what: "hypervisor", snapshot: cpu(model: skylakeX, hypervisor: true), expected: always(true)),
            Case(bug: "BHI", what: "eIBRS + BHI_NO", snapshot: cpu(model: sapphireRapids, archCapabilities: ac("IBRS_ALL", "BHI_NO")), expected: since(6, 17, true)),
            Case(bug: "BHI", what: "AMD NO_BHI under a hypervisor", snapshot: cpu(vendor: .amd, family: 0x19, model: 1, hypervisor: true, archCapabilities: nil), expected: always(false)),
            Case(bug: "IBPB_NO_RET", what: "AMD IBPB without IBPB_RET", snapshot: amd17, expected: always(true)),
            Case(bug: "IBPB_NO_RET", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(false)),
            Case(bug: "ITS", what: "Skylake-X stepping 6", snapshot: cpu(model: skylakeX, stepping: 6), expected: always(true)),
            Case(bug: "ITS", what: "Skylake-X stepping 5 (row up to 5 has no ITS)", snapshot: cpu(model: skylakeX, stepping: 5), expected: always(false)),
            Case(bug: "ITS", what: "ITS_NO", snapshot: cpu(model: skylakeX, stepping: 6, archCapabilities: ac("ITS_NO")), expected: always(false)),
            Case(bug: "ITS", what: "guest on an unlisted model", snapshot: cpu(model: sapphireRapids, hypervisor: true), expected: always(true)),
            Case(bug: "ITS", what: "BHI_CTRL guest", snapshot: cpu(model: sapphireRapids, hypervisor: true, bhiCtrl: true), expected: always(false)),
            Case(bug: "ITS_NATIVE_ONLY", what: "Ice Lake X", snapshot: cpu(model: iceLakeX), expected: always(true)),
            Case(bug: "ITS_NATIVE_ONLY", what: "Skylake-X stepping 6", snapshot: cpu(model: skylakeX, stepping: 6), expected: always(false)),
            Case(bug: "TSA", what: "AMD 0x19", snapshot: amd19, expected: always(true)),
            Case(bug: "TSA", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(false)),
            // The Zen-guest term tests X86_FEATURE_ZEN, which init_amd() sets after cpu_set_bug_bits() ran.
            Case(bug: "TSA", what: "Zen 5 guest (family 0x1A)", snapshot: cpu(vendor: .amd, family: 0x1A, model: 0x02, hypervisor: true,
                                                                          archCapabilities: nil), expected: always(false)),
            Case(bug: "VMSCAPE", what: "Skylake-X bare metal", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "VMSCAPE", what: "Skylake-X guest", snapshot: cpu(model: skylakeX, hypervisor: true), expected: always(false)),
            Case(bug: "CPU_MELTDOWN", what: "Skylake-X, AC = 0", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "CPU_MELTDOWN", what: "RDCL_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("RDCL_NO")), expected: always(false)),
            Case(bug: "CPU_MELTDOWN", what: "AMD NO_MELTDOWN", snapshot: amd19, expected: always(false)),
            Case(bug: "L1TF", what: "Skylake-X", snapshot: cpu(model: skylakeX), expected: always(true)),
            Case(bug: "L1TF", what: "Silvermont NO_L1TF", snapshot: cpu(model: silvermont), expected: always(false)),
            Case(bug: "L1TF", what: "RDCL_NO", snapshot: cpu(model: skylakeX, archCapabilities: ac("RDCL_NO")), expected: always(false)),
            Case(bug: "OLD_MICROCODE", what: "Skylake-X stepping 4, old revision", snapshot: cpu(model: skylakeX, stepping: 4, microcode: 0x2000001), expected: always(true)),
            Case(bug: "OLD_MICROCODE", what: "Skylake-X stepping 4, newest revision", snapshot: cpu(model: skylakeX, stepping: 4, microcode: 0x2007006), expected: always(false)),
            Case(bug: "OLD_MICROCODE", what: "debug revision", snapshot: cpu(model: skylakeX, stepping: 4, microcode: 0x8000_0000), expected: always(true)),
            Case(bug: "OLD_MICROCODE", what: "guest", snapshot: cpu(model: skylakeX, stepping: 4, hypervisor: true, microcode: 1), expected: always(false)),
        ]
    }

    // MARK: Every bug of every profile

    func testEveryBugOfEveryProfile() throws {
        let cases = Self.cases
        for release in KernelRelease.carried {
            let profile = try XCTUnwrap(KernelProfile.release(release.version))
            var covered: Set<String> = []
            for item in cases {
                guard profile.number(ofBug: item.bug) != nil, let expected = item.expected(release.version) else { continue }
                let view = LinuxDerivation.derive(item.snapshot, kernel: profile)
                XCTAssertEqual(view.bugDecision(item.bug), expected,
                               "\(release.version) \(item.bug) — \(item.what): \(view.reason(for: "X86_BUG_" + item.bug)?.description ?? "")")
                if expected { covered.insert(item.bug) }
            }
            // Each bug cpu_set_bug_bits() sets in this release is seen set at least once.
            let rules = Set(["ITLB_MULTIHIT", "SPECTRE_V1", "SPECTRE_V2", "SPEC_STORE_BYPASS", "MDS", "MSBDS_ONLY", "SWAPGS",
                             "TAA", "SRBDS", "CPU_MELTDOWN", "L1TF"])
            XCTAssertTrue(rules.isSubset(of: covered), "\(release.version): \(rules.subtracting(covered))")
        }
    }

    func testNewerBugsAreCoveredInTheirReleases() throws {
        let covered = Set(Self.cases.map(\.bug))
        for release in KernelRelease.carried {
            let profile = try XCTUnwrap(KernelProfile.release(release.version))
            for row in profile.bugs where ["GDS", "RFDS", "ITS", "TSA", "VMSCAPE", "OLD_MICROCODE", "BHI", "SRSO", "SMT_RSB",
                                           "RETBLEED", "MMIO_STALE_DATA", "EIBRS_PBRSB", "IBPB_NO_RET"].contains(row.name) {
                XCTAssertTrue(covered.contains(row.name), "\(release.version) \(row.name)")
            }
        }
    }

    // MARK: Undecided without MSRs

    func testUnknownArchCapabilitiesLeavesOnlyDependentBugsUndecided() throws {
        // ARCH_CAPABILITIES enumerated, MSR 0x10A not sampled.
        let skylake = LinuxDerivation.derive(Self.cpu(model: Self.skylakeX, archCapabilities: .some(nil)), kernel: .v6_18)
        XCTAssertNil(skylake.bugDecision("MDS"))
        XCTAssertNil(skylake.bugDecision("CPU_MELTDOWN"))
        XCTAssertEqual(skylake.bugDecision("SPECTRE_V2"), true)
        XCTAssertEqual(skylake.bugDecision("RETBLEED"), true, "the blacklist decides whatever RSBA says")
        let mds = try XCTUnwrap(skylake.undecidedBugs.first { $0.name == "MDS" })
        XCTAssertEqual(mds.missingMSRs, [0x10A])
        XCTAssertTrue(mds.reason.hasPrefix("cannot be decided: ARCH_CAPABILITIES.MDS_NO (MSR 0x10A bit 5) needs MSR 0x10A"), mds.reason)
        XCTAssertFalse(skylake.procBugs.contains("mds"))
        XCTAssertTrue(skylake.undecidedFeatures.contains { $0.name == "IBRS_ENHANCED" })

        // Goldmont is whitelisted for MDS: decided without the MSR.
        let goldmont = LinuxDerivation.derive(Self.cpu(model: Self.goldmont, archCapabilities: .some(nil)), kernel: .v6_18)
        XCTAssertEqual(goldmont.bugDecision("MDS"), false)

        // Bare-metal microcode without MSR 0x8B.
        let old = LinuxDerivation.derive(Self.cpu(model: Self.skylakeX, stepping: 4), kernel: .v6_18)
        XCTAssertNil(old.bugDecision("OLD_MICROCODE"))
        XCTAssertEqual(old.undecidedBugs.first { $0.name == "OLD_MICROCODE" }?.missingMSRs, [0x8B])
    }

    // MARK: Explanations

    func testExplanationsNameTheDecidingTerms() throws {
        let mdsNo = LinuxDerivation.derive(Self.cpu(model: Self.skylakeX, archCapabilities: Self.ac("MDS_NO")), kernel: .v6_18)
        XCTAssertEqual(mdsNo.reason(for: "mds")?.lines, ["not affected: ARCH_CAPABILITIES.MDS_NO = 1 (MSR 0x10A bit 5)"])
        XCTAssertEqual(mdsNo.reason(for: "mds")?.stage, .vulnerability)
        let affected = LinuxDerivation.derive(Self.cpu(model: Self.skylakeX), kernel: .v6_18)
        XCTAssertEqual(affected.reason(for: "mds")?.lines,
                       ["affected: Intel family 6 model 0x55 (SKYLAKE_X) is not in the NO_MDS whitelist and "
                        + "ARCH_CAPABILITIES.MDS_NO = 0 (MSR 0x10A bit 5)"])
        let unknown = LinuxDerivation.derive(Self.cpu(model: Self.skylakeX, archCapabilities: .some(nil)), kernel: .v6_18)
        XCTAssertEqual(unknown.reason(for: "mds")?.stage, .undecided)
        let its = LinuxDerivation.derive(Self.cpu(model: Self.skylakeX, stepping: 5), kernel: .v6_18)
        XCTAssertEqual(its.reason(for: "its")?.lines.first?.hasPrefix("not affected: "), true)
        XCTAssertTrue(its.reason(for: "its")!.description.contains("steppings 0-5"), its.reason(for: "its")!.description)
    }

    // MARK: Corpus smoke run

    /// Every libcpuid dump (no MSRs) under every fifth profile: bugs decided or undecided with a named MSR,
    /// never both, and every undecided bug's reason names the MSR.
    func testCorpusDumpsDecideOrNameTheMissingMSR() throws {
        let root = LibcpuidCorpusTests.corpus
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw XCTSkip("the libcpuid corpus is not at \(root.path) (../shared relative to the repository)")
        }
        let files = try LibcpuidCorpusTests.dumpFiles(root)
        let profiles = stride(from: 0, to: KernelRelease.carried.count, by: 5).map { KernelProfile.release(KernelRelease.carried[$0].version)! }
        var undecidedDumps = 0
        for file in files {
            let snapshot = try DumpReader.read(path: file.path, format: nil).first
            for profile in profiles {
                let view = LinuxDerivation.derive(snapshot, kernel: profile)
                for bug in view.undecided {
                    XCTAssertFalse(bug.missingMSRs.isEmpty, "\(file.lastPathComponent) \(bug.name)")
                    XCTAssertTrue(bug.reason.contains("MSR 0x"), "\(file.lastPathComponent): \(bug.reason)")
                    XCTAssertFalse(view.procBugs.contains(bug.procName ?? "-"), "\(file.lastPathComponent) \(bug.name)")
                }
                if !view.undecidedBugs.isEmpty { undecidedDumps += 1 }
            }
        }
        XCTAssertGreaterThan(undecidedDumps, 0, "Intel dumps with ARCH_CAPABILITIES leave bugs undecided")
    }

    // MARK: Agreement with the real kernel

    func testLiveVulnerabilitiesAgreeOrAreUndecided() throws {
        let directory = "/sys/devices/system/cpu/vulnerabilities"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw XCTSkip("no \(directory)")
        }
        guard let running = KernelVersion.running() else { throw XCTSkip("uname -r does not parse") }
        let snapshot = try LiveCPU.snapshot(cpu: LiveCPU.onlineCPUs()[0])
        let view = LinuxDerivation.derive(snapshot, kernel: .for(running), options: HostSystem.bootOptions())
        let files = try names.map { ($0, try String(contentsOfFile: directory + "/" + $0, encoding: .utf8)) }
        let comparison = VulnerabilityComparison(view: view, files: files.map { (name: $0.0, text: $0.1) })
        XCTAssertEqual(comparison.unexplained.map(\.name), [], "\(comparison.unexplained)")
    }
}
