import CPUID
import Foundation
import KVM
import X86Features
import XCTest

/// The four corrections of issue 10, each checked against what the release's cpuid.c/svm.c does.
final class ModelReleaseFixTests: XCTestCase {
    private func predict(_ host: Snapshot, _ profile: KVMKernelProfile, _ module: KVMModuleOptions) -> SupportedPrediction {
        KVMSupportedModel.predict(host: host, kernel: profile, hostKernel: RawHostKernel(snapshot: host), module: module)
    }

    /// An Intel host whose 7.1 EDX has AVX_VNNI_INT8 (4), AVX_NE_CONVERT (5), AMX_COMPLEX (8), PREFETCHITI (14).
    private var leaf71EDXHost: Snapshot {
        var host = ModelHosts.intelSGX
        host.set(7, 1, .edx, to: (1 << 4) | (1 << 5) | (1 << 8) | (1 << 14))
        return host
    }

    private var epycGenoa: Snapshot {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/decoders/amd-epyc-genoa-kvm.raw")
            return try XCTUnwrap(DumpReader.read(path: url.path).first)
        }
    }

    // (1) 6.2's cpuid.c has kvm_cpu_cap_init_kvm_defined(CPUID_7_1_EDX, ...) and overrides 7.1 EDX with it.
    func testLinux62FillsLeaf7Subleaf1EDXFromItsKVMOnlyWord() {
        let word = KVMKernelProfile.v6_2.initializer(for: .cpuid_7_1_EDX)
        XCTAssertEqual(word?.style, .kvmDefined)
        XCTAssertEqual(word?.rows.map(\.macro), ["AVX_VNNI_INT8", "AVX_NE_CONVERT", "PREFETCHITI"])
        XCTAssertEqual(word?.rows.map(\.bit), [4, 5, 14])
        XCTAssertNil(KVMKernelProfile.v6_1.initializer(for: .cpuid_7_1_EDX))

        XCTAssertEqual(predict(leaf71EDXHost, .v6_2, .intel()).snapshot.value(7, 1, .edx), 0x4030)
        XCTAssertEqual(predict(leaf71EDXHost, .v6_1, .intel()).snapshot.value(7, 1, .edx), 0)
        let rule = predict(leaf71EDXHost, .v6_1, .intel()).rule(7, 1, .edx, bit: 4)
        XCTAssertFalse(rule.map { "\($0)" }?.contains("6.3") ?? true, "no rule text dates the word to 6.3")
    }

    // (2) 6.2 ORs BIT(9) (no SMM_CTL MSR) into 0x80000021 EAX; 6.1 does not.
    func testLinux62SetsNoSMMCtlOnTheEPYCFixture() throws {
        let host = try epycGenoa
        let amd = KVMModuleOptions(module: .kvmAMD, sgx: false, enclsExiting: false, nested: true, enablePMU: true)
        let v62 = KVMSupportedModel.predict(host: host, kernel: KernelProfile.for(KernelVersion(6, 2)), module: amd)
        let v61 = KVMSupportedModel.predict(host: host, kernel: KernelProfile.for(KernelVersion(6, 1)), module: amd)
        XCTAssertEqual(v62.snapshot.value(0x8000_0021, 0, .eax), 0x0000_0204)
        XCTAssertEqual(v61.snapshot.value(0x8000_0021, 0, .eax) & (1 << 9), 0)
        XCTAssertEqual(v62.snapshot.value(0x8000_0021, 0, .eax) & ~UInt32(1 << 9), v61.snapshot.value(0x8000_0021, 0, .eax))
    }

    // (3) 0x80000005 has no case in 6.1/6.2 (default: zero); 6.6 added "pass host L1 cache and TLB info".
    func testL1CacheLeafIsZeroBefore66AndPassedThroughFrom66() throws {
        let host = try epycGenoa
        let hostL1 = try XCTUnwrap(host.registers(0x8000_0005))
        XCTAssertNotEqual(hostL1, .zero)
        for profile in [KVMKernelProfile.v6_1, .v6_2] {
            XCTAssertEqual(predict(host, profile, .amd).snapshot.registers(0x8000_0005), .zero, "\(profile)")
        }
        for profile in [KVMKernelProfile.v6_6, .v6_12, .v6_18, .v6_19, .v7_0] {
            XCTAssertEqual(predict(host, profile, .amd).snapshot.registers(0x8000_0005), hostL1, "\(profile)")
        }
    }

    // (4) 6.18's svm_set_cpu_caps() sets FLUSHBYASID in the nested block (from 6.12 on).
    func testNestedSVMOffersFlushByASIDFrom612() {
        let host = ModelHosts.amdZen4
        let nestedOff = KVMModuleOptions(module: .kvmAMD, sgx: false, enclsExiting: false, nested: false, enablePMU: true)
        XCTAssertNotEqual(predict(host, .v6_18, .amd).snapshot.value(0x8000_000A, 0, .edx) & (1 << 6), 0)
        XCTAssertNotEqual(predict(host, .v6_12, .amd).snapshot.value(0x8000_000A, 0, .edx) & (1 << 6), 0)
        XCTAssertEqual(predict(host, .v6_6, .amd).snapshot.value(0x8000_000A, 0, .edx) & (1 << 6), 0)
        XCTAssertEqual(predict(host, .v6_18, nestedOff).capabilities.value(.cpuid_8000_000A_EDX) & (1 << 6), 0)
    }

    /// PerfMonV2 is cleared when the PMU is on but the version is not 2 or PERFCTR_CORE is absent, not for "PMU off".
    func testPerfMonV2ClearingFollowsTheVersionAndPerfCtrCore() throws {
        let row = try XCTUnwrap(KVMKernelProfile.v6_18.vendorAdjustments[.kvmAMD]?.first { $0.macro == "PERFMON_V2" })
        XCTAssertEqual(row.action, .clear)
        XCTAssertFalse("\(row.condition)".contains("enable_pmu is off"))
        var host = ModelHosts.amdZen4
        host.set(CPUIDEntry(leaf: 0x8000_0022, subleaf: 0, eax: 0x1, ebx: 0x6, ecx: 0, edx: 0))
        host.set(0x8000_0000, 0, .eax, to: 0x8000_0022)
        let pmuOff = KVMModuleOptions(module: .kvmAMD, sgx: false, enclsExiting: false, nested: true, enablePMU: false)
        XCTAssertTrue(predict(host, .v6_18, .amd).capabilities.has(.cpuid_8000_0022_EAX, bit: 0),
                      "PERFCTR_CORE and PerfMonV2 present: kept")
        XCTAssertTrue(predict(host, .v6_18, pmuOff).capabilities.has(.cpuid_8000_0022_EAX, bit: 0),
                      "svm_set_cpu_caps() does not clear it with the PMU off")
        XCTAssertEqual(predict(host, .v6_18, pmuOff).snapshot.value(0x8000_0022, 0, .eax), 0,
                       "the leaf code zeroes it without a PMU")
        var noCore = host
        noCore.set(0x8000_0001, 0, .ecx, to: host.value(0x8000_0001, 0, .ecx) & ~UInt32(1 << 23))
        XCTAssertFalse(predict(noCore, .v6_18, .amd).capabilities.has(.cpuid_8000_0022_EAX, bit: 0))
    }

    func testSmallerPointsOfTheCheck() {
        XCTAssertNotNil(KVMKernelProfile.v6_2.initializer(for: .cpuid_8000_0008_EBX)?.row(macro: "AMD_PSFD"))
        XCTAssertNil(KVMKernelProfile.v6_2.initializer(for: .cpuid_8000_0008_EBX)?.row(macro: "PSFD"))
        XCTAssertNotNil(KVMKernelProfile.v6_1.initializer(for: .cpuid_8000_0008_EBX)?.row(macro: "PSFD"))
        XCTAssertEqual(KVMKernelProfile.v6_18.words.filter(\.isKVMOnly).count, 8)
        for profile in [KVMKernelProfile.v6_1, .v6_18] {
            XCTAssertTrue(profile.source.contains("blob"), "\(profile) cites its release files: \(profile.source)")
            XCTAssertFalse(profile.source.contains("linux-next"))
        }
    }
}
