import CPUID
import KVM
import X86Features
import XCTest

final class KVMMSRWriteRulesTests: XCTestCase {
    /// A table with ARCH_CAPABILITIES (7.0:EDX[29]) and PDCM (1:ECX[15]) as the caller chooses.
    private func table(archCapabilities: Bool, pdcm: Bool = false) -> Snapshot {
        var snapshot = Snapshot()
        snapshot.set(0x0, 0, .eax, to: 0xD)
        snapshot.set(0x1, 0, .ecx, to: pdcm ? 1 << 15 : 0)
        snapshot.set(0x7, 0, .edx, to: archCapabilities ? 1 << 29 : 0)
        return snapshot
    }

    func testPVMClearsArchCapabilitiesSoA618WriteIsRefusedNamingTheModule() throws {
        let refusal = try XCTUnwrap(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0x69, guestCPUID: table(archCapabilities: true),
                                                             kernel: KernelVersion(6, 18, 44), module: .kvmPVM))
        XCTAssertTrue(refusal.rule.contains("kvm_pvm"), refusal.rule)
        XCTAssertTrue(refusal.rule.contains("CPUID.(EAX=07H,ECX=0):EDX[29]"), refusal.rule)
        XCTAssertNil(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0x69, guestCPUID: table(archCapabilities: true),
                                              kernel: KernelVersion(6, 18), module: .kvmIntel))
        XCTAssertNil(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0, guestCPUID: table(archCapabilities: true),
                                              kernel: KernelVersion(6, 18), module: .kvmPVM), "writing 0 always passes")
    }

    func testBefore613AnyArchCapabilitiesValueIsStored() {
        XCTAssertNil(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0x69, guestCPUID: table(archCapabilities: false),
                                              kernel: KernelVersion(6, 12), module: .kvmIntel))
        XCTAssertNotNil(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0x69, guestCPUID: table(archCapabilities: false),
                                                 kernel: KernelVersion(6, 13), module: .kvmIntel))
    }

    func testPerfCapabilitiesNeedsPDCMAndASubset() throws {
        XCTAssertNotNil(KVMMSRWriteRules.refusal(msr: 0x345, value: 0x2000, guestCPUID: table(archCapabilities: false),
                                                 kernel: KernelVersion(6, 18), module: .kvmIntel, supported: 0x2000))
        let extra = try XCTUnwrap(KVMMSRWriteRules.refusal(msr: 0x345, value: 0x6000, guestCPUID: table(archCapabilities: false, pdcm: true),
                                                           kernel: KernelVersion(6, 18), module: .kvmIntel, supported: 0x2000))
        XCTAssertTrue(extra.rule.contains("PEBS_BASELINE"), extra.rule)
    }

    func testAFeatureMSRCannotChangeAfterTheFirstRunFrom66() {
        let t = table(archCapabilities: true)
        XCTAssertNotNil(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0x1, guestCPUID: t, kernel: KernelVersion(6, 6),
                                                 module: .kvmIntel, current: 0x69))
        XCTAssertNil(KVMMSRWriteRules.refusal(msr: 0x10A, value: 0x1, guestCPUID: t, kernel: KernelVersion(6, 2),
                                              module: .kvmIntel, current: 0x69))
        XCTAssertNil(KVMMSRWriteRules.refusal(msr: 0x8B, value: 0x1, guestCPUID: t, kernel: KernelVersion(6, 18),
                                              module: .kvmIntel, current: 0x69), "UCODE_REV stays writable")
    }

    func testGuestReadsFollowTheTableAsTheModuleKeepsIt() {
        XCTAssertEqual(KVMMSRWriteRules.guestRead(msr: 0x10A, guestCPUID: table(archCapabilities: true), module: .kvmIntel), .value)
        guard case .faults = KVMMSRWriteRules.guestRead(msr: 0x10A, guestCPUID: table(archCapabilities: true), module: .kvmPVM) else {
            return XCTFail("kvm_pvm clears the bit, so the guest's RDMSR faults")
        }
        XCTAssertEqual(KVMMSRWriteRules.guestRead(msr: 0xCE, guestCPUID: table(archCapabilities: false), module: .kvmPVM), .value)
    }
}
