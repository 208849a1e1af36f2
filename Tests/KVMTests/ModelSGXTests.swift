import CPUID
import KVM
import X86Features
import XCTest

/// Leaf 0x12 as Linux 6.1, 6.2 and 6.18 KVM build it (facts section 6 and commit 16a7fe3728a8).
final class ModelSGXTests: XCTestCase {
    private func predict(_ version: KernelVersion, sgx: Bool = true, encls: Bool = true,
                         boot: BootOptions = .none) -> SupportedPrediction {
        KVMSupportedModel.predict(host: ModelHosts.intelSGX, kernel: KernelProfile.for(version),
                                  module: .intel(sgx: sgx, enclsExiting: encls), bootOptions: boot)
    }

    func testLinux61OffersSGX1AndSGX2WithoutEDECCSSAOrAEXNotify() {
        let p = predict(KernelVersion(6, 1))
        XCTAssertEqual(p.snapshot.value(0x12, 0, .eax), 0x3)
        XCTAssertEqual(p.snapshot.value(0x12, 0, .ebx), 0x1)
        XCTAssertEqual(p.snapshot.value(0x12, 1, .eax), 0xB6)
        let rule = p.rule(0x12, 0, .eax, bit: 11)
        XCTAssertEqual(rule?.kind, .capability)
        XCTAssertEqual(rule?.capability?.offered, false)
        XCTAssertTrue(rule?.capability?.steps.first?.contains("lacks this bit") ?? false, "\(String(describing: rule))")
    }

    func testLinux62OffersEDECCSSAAndAEXNotify() {
        let p = predict(KernelVersion(6, 2))
        XCTAssertEqual(p.snapshot.value(0x12, 0, .eax), 0x803)
        XCTAssertEqual(p.snapshot.value(0x12, 0, .ebx), 0x1)
        XCTAssertEqual(p.snapshot.value(0x12, 1, .eax), 0x4B6)
        XCTAssertEqual(p.rule(0x12, 0, .eax, bit: 11)?.capability?.offered, true)
    }

    func testSubleafOnePassesXFRMAndZeroesEBX() {
        let p = predict(KernelVersion(6, 18))
        XCTAssertEqual(p.snapshot.value(0x12, 1, .ebx), 0)
        XCTAssertEqual(p.snapshot.value(0x12, 1, .ecx), 0x1F)
        XCTAssertEqual(p.snapshot.value(0x12, 0, .edx), 0x241F, "max enclave sizes pass through")
        XCTAssertTrue(p.snapshot.entry(0x12, 0)?.significantIndex ?? false)
    }

    func testEPCSubleavesAreNeverReported() {
        for version in [KernelVersion(6, 1), KernelVersion(6, 2), KernelVersion(6, 18)] {
            let p = predict(version)
            XCTAssertEqual(p.snapshot.subleaves(of: 0x12).map(\.subleaf), [0, 1], "\(version)")
        }
    }

    func testSGXOffLeavesAnAllZeroSubleafZeroAndClearsSGXAndSGXLC() {
        for version in [KernelVersion(6, 1), KernelVersion(6, 2), KernelVersion(6, 18)] {
            for (sgx, encls) in [(false, true), (true, false)] {
                let p = predict(version, sgx: sgx, encls: encls)
                XCTAssertEqual(p.snapshot.registers(0x12, 0), .zero, "\(version) sgx=\(sgx) encls=\(encls)")
                XCTAssertNil(p.snapshot.entry(0x12, 1), "\(version): no subleaf 1 when SGX is off")
                XCTAssertEqual(p.snapshot.value(7, 0, .ebx) & (1 << 2), 0)
                XCTAssertEqual(p.snapshot.value(7, 0, .ecx) & (1 << 30), 0)
                let why = p.rule(7, 0, .ebx, bit: 2)?.capability?.steps.last ?? ""
                XCTAssertTrue(why.contains("vmx_set_cpu_caps"), why)
            }
        }
    }

    func testSGXOnKeepsSGXAndLaunchControlInLeaf7() {
        let p = predict(KernelVersion(6, 1))
        XCTAssertNotEqual(p.snapshot.value(7, 0, .ebx) & (1 << 2), 0)
        XCTAssertNotEqual(p.snapshot.value(7, 0, .ecx) & (1 << 30), 0)
    }

    func testEDECCSSAClearedByClearcpuidIsNotOfferedOn62() {
        let boot = BootOptions(clearCPUID: ["\(11 * 32 + 18)"])
        let p = predict(KernelVersion(6, 2), boot: boot)
        XCTAssertEqual(p.snapshot.value(0x12, 0, .eax), 0x3)
        let steps = p.rule(0x12, 0, .eax, bit: 11)?.capability?.steps ?? []
        XCTAssertTrue(steps.contains { $0.contains("lacks SGX_EDECCSSA") }, "\(steps)")
    }

    func testTheSeedCommitIsTheOnlyCPUID12Difference() {
        let old = KVMKernelProfile.v6_1.initializer(for: .cpuid_12_EAX)?.rows.map(\.macro)
        let new = KVMKernelProfile.v6_2.initializer(for: .cpuid_12_EAX)?.rows.map(\.macro)
        XCTAssertEqual(old, ["SGX1", "SGX2"])
        XCTAssertEqual(new, ["SGX1", "SGX2", "SGX_EDECCSSA"])
        XCTAssertEqual(KVMKernelProfile.v6_1.sgxAttributeMask, 0xB6)
        XCTAssertEqual(KVMKernelProfile.v6_2.sgxAttributeMask, 0x4B6)
    }

    func testRawHostKernelViewGivesTheSameLeaf12() {
        let p = KVMSupportedModel.predict(host: ModelHosts.intelSGX, kernel: .v6_2,
                                          hostKernel: RawHostKernel(snapshot: ModelHosts.intelSGX),
                                          module: .intel())
        XCTAssertEqual(p.snapshot.value(0x12, 0, .eax), 0x803)
        let cleared = KVMSupportedModel.predict(
            host: ModelHosts.intelSGX, kernel: .v6_2,
            hostKernel: RawHostKernel(snapshot: ModelHosts.intelSGX, cleared: ["SGX_EDECCSSA"]), module: .intel())
        XCTAssertEqual(cleared.snapshot.value(0x12, 0, .eax), 0x3)
    }
}
