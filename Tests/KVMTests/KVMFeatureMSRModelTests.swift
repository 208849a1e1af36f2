import CPUID
import Foundation
import X86Features
import XCTest
@testable import KVM

/// The feature-MSR model: kvm_get_arch_capabilities() per release on synthetic hosts, and this machine's
/// live /dev/kvm values against the model.
final class KVMFeatureMSRModelTests: XCTestCase {
    /// A host kernel view that answers bug flags from a set, and no features.
    struct Bugs: KVMHostKernelView {
        var set: Set<String>
        var features: Set<String> = []
        func capabilityWord(_ word: Int) -> UInt32 { 0 }
        func hasFeature(_ macro: String) -> Bool? { features.contains(macro) }
        func hasBug(_ name: String) -> Bool? { set.contains(name) }
        func undecidedBug(_ name: String) -> String? { nil }
    }

    /// An Intel family 6 host with ARCH_CAPABILITIES enumerated and `archCapabilities` sampled (nil: not read).
    private func intelHost(archCapabilities: UInt64?, rtm: Bool = false) -> Snapshot {
        var host = Snapshot()
        host.set(0x0, 0, .eax, to: 0x1F)
        host.set(0x0, 0, .ebx, to: 0x756E_6547)
        host.set(0x0, 0, .edx, to: 0x4965_6E69)
        host.set(0x0, 0, .ecx, to: 0x6C65_746E)
        host.set(0x1, 0, .eax, to: 0x0005_0657)
        host.set(0x7, 0, .ebx, to: rtm ? 1 << 11 : 0)
        host.set(0x7, 0, .edx, to: 1 << 29)
        if let archCapabilities { host.setMSR(MSR(0x10A, .value(archCapabilities))) }
        return host
    }

    private func archCapabilities(_ host: Snapshot, bugs: Set<String>, kernel: KernelVersion, features: Set<String> = [])
        -> KVMFeatureMSRPrediction {
        KVMFeatureMSRModel.predict(host: host, hostKernel: Bugs(set: bugs, features: features), kernel: kernel,
                                   module: KVMModuleOptions(module: .kvmIntel)).first { $0.index == 0x10A }!
    }

    func testHostBitsPassThroughTheReleaseMask() {
        // IBRS_ALL (1), FB_CLEAR_CTRL (18, never passed), GDS_NO (26, passed from 6.6), BHI_NO (20, from 6.12).
        let host = intelHost(archCapabilities: 1 << 1 | 1 << 18 | 1 << 26 | 1 << 20)
        let bugs: Set<String> = ["CPU_MELTDOWN", "SPEC_STORE_BYPASS", "MDS", "GDS", "RFDS", "ITS"]
        let v61 = archCapabilities(host, bugs: bugs, kernel: KernelVersion(6, 1))
        XCTAssertTrue(v61.isDecided)
        XCTAssertEqual(v61.value, 1 << 1 | 1 << 3 | 1 << 6, "6.1: IBRS_ALL passes, PSCHANGE_MC_NO and SKIP_VMENTRY_L1DFLUSH are synthesized")
        let v618 = archCapabilities(host, bugs: bugs, kernel: KernelVersion(6, 18))
        XCTAssertEqual(v618.value, 1 << 1 | 1 << 3 | 1 << 6 | 1 << 20 | 1 << 26)
        XCTAssertTrue(v618.account(ofBit: 18).rule.contains("does not pass it"), v618.account(ofBit: 18).rule)
    }

    func testImmunityBitsAreSynthesizedFromTheHostsBugs() {
        let host = intelHost(archCapabilities: 0)
        let p = archCapabilities(host, bugs: ["SPEC_STORE_BYPASS"], kernel: KernelVersion(6, 18))
        for (bit, name) in [(0, "RDCL_NO"), (5, "MDS_NO"), (26, "GDS_NO"), (27, "RFDS_NO"), (62, "ITS_NO")] {
            XCTAssertEqual(p.account(ofBit: bit).value, true, name)
        }
        XCTAssertEqual(p.account(ofBit: 4).value, false, "SSB_NO: the host has spec_store_bypass")
        XCTAssertEqual(archCapabilities(host, bugs: [], kernel: KernelVersion(6, 1)).account(ofBit: 27).value, false,
                       "6.1 does not synthesize RFDS_NO")
    }

    func testTAANoFollowsRTMAndTheTaaBug() {
        let withRTM = intelHost(archCapabilities: 1 << 8, rtm: true)
        XCTAssertEqual(archCapabilities(withRTM, bugs: [], kernel: KernelVersion(6, 18), features: ["RTM"]).account(ofBit: 8).value, true)
        XCTAssertEqual(archCapabilities(intelHost(archCapabilities: 1 << 8), bugs: [], kernel: KernelVersion(6, 18)).account(ofBit: 8).value,
                       false, "no RTM: TAA_NO is cleared even when the host sets it")
    }

    func testAHostValueNotReadLeavesPassThroughBitsUndecided() {
        let p = archCapabilities(intelHost(archCapabilities: nil), bugs: [], kernel: KernelVersion(6, 18))
        XCTAssertFalse(p.isDecided)
        XCTAssertNil(p.account(ofBit: 1).value, "IBRS_ALL comes only from the host")
        XCTAssertEqual(p.account(ofBit: 5).value, true, "MDS_NO is synthesized whatever the host says")
        XCTAssertTrue(p.valueText.contains("?"))
    }

    func testListPerReleaseAndModule() {
        let host = intelHost(archCapabilities: 0)
        func indices(_ kernel: KernelVersion, _ module: KVMModuleOptions) -> [UInt32] {
            KVMFeatureMSRModel.predict(host: host, hostKernel: Bugs(set: []), kernel: kernel, module: module).map(\.index)
        }
        XCTAssertEqual(indices(KernelVersion(6, 18), .pvm), [0x8B, 0x10A, 0x345, 0xCE])
        XCTAssertEqual(indices(KernelVersion(6, 1), .pvm), [0x8B, 0x10A])
        XCTAssertEqual(indices(KernelVersion(6, 1), KVMModuleOptions(module: .kvmAMD)), [0xC001_1029, 0x8B, 0x10A])
        XCTAssertEqual(indices(KernelVersion(6, 6), KVMModuleOptions(module: .kvmIntel)).prefix(2), [0x480, 0x481])
        XCTAssertEqual(indices(KernelVersion(6, 2), KVMModuleOptions(module: .kvmIntel, nested: false)), [0x8B, 0x10A, 0x345])
    }

    /// This machine: every live ARCH_CAPABILITIES bit agrees with the model, or the model leaves it undecided
    /// with its reason; the live list is the model's list for the detected module.
    func testLiveArchCapabilitiesAgreesWithTheModel() throws {
        let kvm = try KVMTestSupport.system()
        guard kvm.offersFeatureMSRs else { throw XCTSkip("this KVM lacks KVM_CAP_GET_MSR_FEATURES") }
        guard let module = KVMModuleOptions(detected: KVMModuleInfo.detect()) else { throw XCTSkip("no known KVM vendor module loaded") }
        let host = try LiveCPU.snapshot(cpu: 0)
        let kernel = KernelVersion.running() ?? KernelVersion(6, 18)
        let profile = KernelResolution(kernel).profile
        let view = LinuxDerivation.derive(host, kernel: profile)
        let procText = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let bugs = try ProcCPUInfo.parse(procText, name: "/proc/cpuinfo").processors.first?.bugs ?? []
        let model = KVMFeatureMSRModel.predict(host: host, hostKernel: ProcBugsKernelView(base: view, procBugs: bugs, kernel: profile),
                                               kernel: kernel, module: module)
        let comparison = KVMFeatureMSRComparison(live: try kvm.featureMSRs(), model: model)
        let archDifferences = comparison.differences.filter {
            if case let .bit(index, _, _) = $0 { return index == 0x10A }
            return false
        }
        XCTAssertEqual(archDifferences, [], "live ARCH_CAPABILITIES differs from the model")
        for difference in comparison.differences {
            if case let .onlyLive(index) = difference, (0x480...0x492).contains(index) { continue }
            if case .bit = difference { continue }
            XCTFail("list difference \(difference) for \(module)")
        }
    }
}
