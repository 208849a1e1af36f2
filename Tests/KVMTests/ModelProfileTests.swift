import CPUID
import KVM
import X86Features
import XCTest

/// The longterm profiles (5.10 to 7.0): each one's maxima and words against its release files, one word
/// difference against the previous profile, and the SGX offer; plus the choice of profile for any release.
final class ModelProfileTests: XCTestCase {
    private func predict(_ host: Snapshot, _ profile: KVMKernelProfile, _ module: KVMModuleOptions = .intel()) -> SupportedPrediction {
        KVMSupportedModel.predict(host: host, kernel: profile, hostKernel: RawHostKernel(snapshot: host), module: module)
    }

    func testProfilesAreOrderedAndEachCitesItsReleaseFiles() {
        let versions = KVMKernelProfile.all.map(\.version)
        XCTAssertEqual(versions.map(\.description), ["5.10", "5.15", "6.1", "6.2", "6.6", "6.12", "6.18", "6.19", "7.0"])
        for profile in KVMKernelProfile.all {
            XCTAssertTrue(profile.source.hasPrefix("Linux v\(profile.version) ("), profile.source)
            XCTAssertTrue(profile.source.contains("cpuid.c blob"), profile.source)
        }
    }

    func testLeafMaximaPerProfile() {
        let expected: [(KVMKernelProfile, UInt32, UInt32, UInt32)] = [
            (.v5_10, 0x1F, 0x8000_001F, 1), (.v5_15, 0x1F, 0x8000_001F, 1), (.v6_1, 0x1F, 0x8000_0021, 1),
            (.v6_2, 0x1F, 0x8000_0021, 1), (.v6_6, 0x1F, 0x8000_0022, 1), (.v6_12, 0x24, 0x8000_0022, 2),
            (.v6_18, 0x24, 0x8000_0022, 2), (.v6_19, 0x24, 0x8000_0022, 2), (.v7_0, 0x24, 0x8000_0022, 2),
        ]
        for (profile, basic, extended, leaf7) in expected {
            XCTAssertEqual(profile.maxBasicLeaf, basic, "\(profile)")
            XCTAssertEqual(profile.maxExtendedLeaf, extended, "\(profile)")
            XCTAssertEqual(profile.maxLeaf7Subleaf, leaf7, "\(profile)")
        }
    }

    func testEachProfileDiffersFromThePreviousOneInItsWords() {
        func has(_ profile: KVMKernelProfile, _ word: KVMCapabilityWord, _ macro: String) -> Bool {
            profile.initializer(for: word)?.row(macro: macro) != nil
        }
        XCTAssertFalse(has(.v5_10, .cpuid_7_1_EAX, "AVX_VNNI"))
        XCTAssertTrue(has(.v5_15, .cpuid_7_1_EAX, "AVX_VNNI"))
        XCTAssertFalse(has(.v5_15, .cpuid_7_EDX, "AMX_TILE"))
        XCTAssertTrue(has(.v6_1, .cpuid_7_EDX, "AMX_TILE"))
        XCTAssertTrue(has(.v5_15, .cpuid_8000_0001_ECX, "PERFCTR_CORE"), "5.15 masks PERFCTR_CORE in common code")
        XCTAssertFalse(has(.v6_1, .cpuid_8000_0001_ECX, "PERFCTR_CORE"), "6.1 leaves it to kvm_amd")
        XCTAssertFalse(has(.v6_2, .cpuid_7_EDX, "FLUSH_L1D"))
        XCTAssertTrue(has(.v6_6, .cpuid_7_EDX, "FLUSH_L1D"))
        XCTAssertFalse(KVMKernelProfile.v6_2.words.contains(.cpuid_8000_0021_EAX))
        XCTAssertTrue(KVMKernelProfile.v6_6.words.contains(.cpuid_8000_0021_EAX))
        XCTAssertFalse(KVMKernelProfile.v6_6.words.contains(.cpuid_7_2_EDX))
        XCTAssertTrue(KVMKernelProfile.v6_12.words.contains(.cpuid_7_2_EDX))
        XCTAssertTrue(has(.v6_12, .cpuid_7_1_EAX, "LAM"))
        XCTAssertFalse(has(.v6_18, .cpuid_8000_0008_EBX, "EFER_LMSLE_MBZ"))
        XCTAssertEqual(KVMKernelProfile.v6_19.initializer(for: .cpuid_8000_0008_EBX)?.row(macro: "EFER_LMSLE_MBZ")?.kind, .passthrough)
        XCTAssertFalse(has(.v6_19, .cpuid_7_1_EAX, "MOVRS"))
        XCTAssertTrue(has(.v7_0, .cpuid_7_1_EAX, "MOVRS"))
        XCTAssertTrue(KVMKernelProfile.v7_0.words.contains(.cpuid_1E_1_EAX))
        XCTAssertTrue(KVMKernelProfile.v7_0.words.contains(.cpuid_24_1_ECX))
        XCTAssertEqual(KVMKernelProfile.v5_10.words.filter(\.isKVMOnly), [], "5.10 has no reverse_cpuid.h KVM-only word")
    }

    /// 5.10 offers no SGX (KVM's SGX support came in 5.13); 5.15 and 6.1 offer SGX1/SGX2 with attributes
    /// 0xB6; 6.2 and later add EDECCSSA and AEX-Notify.
    func testSGXOfferPerProfile() {
        let host = ModelHosts.intelSGX
        let none = predict(host, .v5_10)
        XCTAssertEqual(none.snapshot.registers(0x12, 0), .zero)
        XCTAssertNil(none.snapshot.entry(0x12, 1))
        XCTAssertEqual(none.snapshot.value(7, 0, .ebx) & (1 << 2), 0, "no SGX in CPUID_7_0_EBX")
        XCTAssertEqual(none.snapshot.value(7, 0, .ecx) & (1 << 30), 0, "no SGX_LC in CPUID_7_ECX")
        for profile in [KVMKernelProfile.v5_15, .v6_1] {
            let p = predict(host, profile)
            XCTAssertEqual(p.snapshot.value(0x12, 0, .eax), 0x3, "\(profile)")
            XCTAssertEqual(p.snapshot.value(0x12, 1, .eax), 0xB6, "\(profile)")
        }
        for profile in [KVMKernelProfile.v6_2, .v6_6, .v6_12, .v6_18, .v6_19, .v7_0] {
            let p = predict(host, profile)
            XCTAssertEqual(p.snapshot.value(0x12, 0, .eax), 0x803, "\(profile)")
            XCTAssertEqual(p.snapshot.value(0x12, 1, .eax), 0x4B6, "\(profile)")
        }
    }

    func testLeafHandlingOfTheOlderLines() {
        var host = ModelHosts.amdZen4
        host.set(CPUIDEntry(leaf: 9, subleaf: 0, eax: 0x1, ebx: 0, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x8000_001F, subleaf: 0, eax: 0x1_B, ebx: 0x0000_F12F, ecx: 0x1FD, edx: 0x1))
        host.set(0x8000_0000, 0, .eax, to: 0x8000_0028)
        let v510 = predict(host, .v5_10, .amd)
        XCTAssertEqual(v510.snapshot.value(0x8000_0000, 0, .eax), 0x8000_001F)
        XCTAssertEqual(v510.snapshot.value(9, 0, .eax), 0x1, "5.x passes leaf 9 through")
        XCTAssertEqual(predict(host, .v6_1, .amd).snapshot.value(9, 0, .eax), 0)
        XCTAssertNil(v510.snapshot.entry(0x8000_0021), "5.10 stops at 0x8000001F")
        XCTAssertEqual(predict(host, .v6_1, .amd).snapshot.value(0x8000_0000, 0, .eax), 0x8000_0021)
        XCTAssertEqual(predict(host, .v5_15, .amd).snapshot.value(0x8000_0001, 0, .ebx), host.value(0x8000_0001, 0, .ebx),
                       "no reserved-bit clean-up before 5.16")
    }

    func testPerfMonV2LeafWithoutPMUPerRelease() {
        var host = ModelHosts.amdZen4
        host.set(CPUIDEntry(leaf: 0x8000_0022, subleaf: 0, eax: 0x1, ebx: 0x6, ecx: 0, edx: 0))
        let pmuOff = KVMModuleOptions(module: .kvmAMD, sgx: false, enclsExiting: false, nested: true, enablePMU: false)
        let v66 = predict(host, .v6_6, pmuOff).snapshot.registers(0x8000_0022)
        XCTAssertEqual(v66?.eax, 0x6, "6.6 writes eax = ebx")
        XCTAssertEqual(v66?.ebx, 0x6)
        XCTAssertEqual(predict(host, .v6_18, pmuOff).snapshot.registers(0x8000_0022), .zero)
    }

    func testChoiceNamesTheNearestProfileAndWhatItKnowsOfTheRelease() throws {
        XCTAssertNil(KVMModelChoice(for: KernelVersion(5, 4)))
        XCTAssertEqual(KVMKernelProfile.for(KernelVersion(5, 19))?.version, KernelVersion(5, 15))
        XCTAssertEqual(KVMKernelProfile.for(KernelVersion(6, 13))?.version, KernelVersion(6, 12))
        XCTAssertEqual(KVMKernelProfile.for(KernelVersion(7, 3))?.version, KernelVersion(7, 0))
        XCTAssertEqual(try XCTUnwrap(KVMModelChoice(for: KernelVersion(6, 6))).note, "KVM model: Linux 6.6 rules")
        let v68 = try XCTUnwrap(KVMModelChoice(for: KernelVersion(6, 8)))
        XCTAssertEqual(v68.profile.version, KernelVersion(6, 6))
        XCTAssertTrue(v68.note.hasPrefix("KVM model: Linux 6.6 rules; 6.8 differs in ways not modelled: "), v68.note)
        XCTAssertTrue(v68.note.contains("CPUID_7_2_EDX"))
        let v64 = try XCTUnwrap(KVMModelChoice(for: KernelVersion(6, 4)))
        XCTAssertEqual(v64.note, "KVM model: Linux 6.2 rules; 6.4 is not modelled: its KVM CPUID code was not compared with 6.2")
    }

    func testSeventhReleaseLeaves() {
        var host = ModelHosts.intelSGX
        host.set(0, 0, .eax, to: 0x24)
        host.set(7, 0, .edx, to: host.value(7, 0, .edx) | (1 << 24))
        host.set(7, 1, .edx, to: 1 << 19)
        host.set(CPUIDEntry(leaf: 0x1E, subleaf: 0, eax: 0x1, ebx: 0x4010, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x1E, subleaf: 1, eax: 0x1FF, ebx: 0, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x24, subleaf: 0, eax: 0x1, ebx: 0x0007_0002, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x24, subleaf: 1, eax: 0, ebx: 0, ecx: 0x4, edx: 0))
        let new = predict(host, .v7_0)
        XCTAssertEqual(new.snapshot.value(0x1E, 1, .eax), 0x1DF, "bit 5 is not in CPUID_1E_1_EAX")
        XCTAssertEqual(new.snapshot.value(0x24, 0, .ebx) & 0xff, 2)
        XCTAssertEqual(new.snapshot.value(0x24, 1, .ecx), 0x4)
        let old = predict(host, .v6_18)
        XCTAssertNil(old.snapshot.entry(0x1E, 1))
        XCTAssertEqual(old.snapshot.value(0x24, 0, .ebx) & 0xff, 1)
        XCTAssertNil(old.snapshot.entry(0x24, 1))
    }
}
