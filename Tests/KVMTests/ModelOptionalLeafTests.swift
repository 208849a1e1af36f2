import CPUID
import KVM
import X86Features
import XCTest

/// Leaves KVM reports only with a feature in its caps: Intel PT (0x14), AMX (0x1D, 0x1E), AVX10 (0x24),
/// the PMU (0xA), and the Centaur range.
final class ModelOptionalLeafTests: XCTestCase {
    /// The SGX host with AMX, Intel PT, AVX10 and an architectural PMU added, maximum basic leaf 0x24.
    private var richIntel: Snapshot {
        var host = ModelHosts.intelSGX
        host.set(0, 0, .eax, to: 0x24)
        host.set(7, 0, .ebx, to: host.value(7, 0, .ebx) | (1 << 25))
        host.set(7, 0, .edx, to: host.value(7, 0, .edx) | (1 << 24) | (1 << 25))
        host.set(7, 1, .edx, to: 1 << 19)
        host.set(CPUIDEntry(leaf: 0xA, eax: 0x0704_8305, ebx: 0, ecx: 0, edx: 0x0000_8603))
        host.set(CPUIDEntry(leaf: 0x14, subleaf: 0, eax: 1, ebx: 0x5F, ecx: 0x7, edx: 0))
        host.set(CPUIDEntry(leaf: 0x14, subleaf: 1, eax: 0x0249_0002, ebx: 0x003F_3FFF, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x1D, subleaf: 0, eax: 1, ebx: 0, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x1D, subleaf: 1, eax: 0x0400_2000, ebx: 0x0008_0040, ecx: 0x10, edx: 0))
        host.set(CPUIDEntry(leaf: 0x1E, subleaf: 0, eax: 0, ebx: 0x0004_0010, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0x24, subleaf: 0, eax: 0, ebx: 0x0007_0002, ecx: 0, edx: 0))
        return host
    }

    func testIntelPTOnlyInHostGuestMode() {
        let plain = KVMSupportedModel.predict(host: richIntel, kernel: .v6_18, module: .intel())
        XCTAssertEqual(plain.snapshot.registers(0x14, 0), .zero)
        XCTAssertEqual(plain.snapshot.subleaves(of: 0x14).count, 1)
        let pt = KVMSupportedModel.predict(host: richIntel, kernel: .v6_18,
                                           module: KVMModuleOptions(module: .kvmIntel, intelPTHostGuest: true))
        XCTAssertEqual(pt.snapshot.subleaves(of: 0x14).map(\.subleaf), [0, 1])
        XCTAssertEqual(pt.snapshot.value(0x14, 1, .eax), 0x0249_0002)
        XCTAssertNotEqual(pt.snapshot.value(7, 0, .ebx) & (1 << 25), 0)
    }

    func testAMXLeavesFollowAMXTile() {
        let p = KVMSupportedModel.predict(host: richIntel, kernel: .v6_18, module: .intel())
        XCTAssertEqual(p.snapshot.subleaves(of: 0x1D).map(\.subleaf), [0, 1])
        XCTAssertEqual(p.snapshot.value(0x1E, 0, .ebx), 0x0004_0010)
        var noAMX = richIntel
        noAMX.set(7, 0, .edx, to: noAMX.value(7, 0, .edx) & ~(1 << 24))
        let q = KVMSupportedModel.predict(host: noAMX, kernel: .v6_18, module: .intel())
        XCTAssertEqual(q.snapshot.registers(0x1D, 0), .zero)
        XCTAssertEqual(q.snapshot.registers(0x1E, 0), .zero)
    }

    func testAVX10VersionIsCappedAtOneIn618AndTheLeafIsNotReachedBefore() {
        let p = KVMSupportedModel.predict(host: richIntel, kernel: .v6_18, module: .intel())
        XCTAssertEqual(p.snapshot.value(0x24, 0, .ebx), 0x0007_0001)
        let old = KVMSupportedModel.predict(host: richIntel, kernel: .v6_2, module: .intel())
        XCTAssertNil(old.snapshot.entry(0x24, 0), "6.2 reports basic leaves up to 0x1F")
    }

    func testPMULeafIsZeroWithoutThePMUAndMarkedNotModelledWithIt() {
        let on = KVMSupportedModel.predict(host: richIntel, kernel: .v6_18, module: .intel())
        XCTAssertEqual(on.rule(0xA, 0, .eax, bit: 0)?.kind, .notModelled)
        let off = KVMSupportedModel.predict(host: richIntel, kernel: .v6_18,
                                            module: KVMModuleOptions(module: .kvmIntel, enablePMU: false))
        XCTAssertEqual(off.snapshot.registers(0xA, 0), .zero)
        XCTAssertEqual(off.snapshot.value(1, 0, .ecx) & (1 << 15), 0, "PDCM is cleared without a PMU")
    }

    func testCentaurLeavesOnlyForCentaurHosts() {
        var host = ModelHosts.intelSGX
        // "CentaurHauls" as EBX, EDX, ECX.
        host.set(CPUIDEntry(leaf: 0, eax: 0xD, ebx: 0x746E_6543, ecx: 0x736C_7561, edx: 0x4872_7561))
        host.set(CPUIDEntry(leaf: 0xC000_0000, eax: 0xC000_0006, ebx: 0, ecx: 0, edx: 0))
        host.set(CPUIDEntry(leaf: 0xC000_0001, eax: 0, ebx: 0, ecx: 0, edx: 0x0000_3FCC))
        let p = KVMSupportedModel.predict(host: host, kernel: .v6_1, module: .intel())
        XCTAssertEqual(p.snapshot.value(0xC000_0000, 0, .eax), 0xC000_0004)
        XCTAssertEqual(p.snapshot.value(0xC000_0001, 0, .edx), 0x0000_3FCC)
        XCTAssertEqual(p.snapshot.subleaves(of: 0xC000_0004).count, 1)
        let intel = KVMSupportedModel.predict(host: ModelHosts.intelSGX, kernel: .v6_1, module: .intel())
        XCTAssertNil(intel.snapshot.entry(0xC000_0000, 0))
    }
}
