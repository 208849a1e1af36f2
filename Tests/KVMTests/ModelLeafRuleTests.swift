import CPUID
import KVM
import X86Features
import XCTest

/// The per-leaf rules of __do_cpuid_func other than leaf 0x12, per kernel profile.
final class ModelLeafRuleTests: XCTestCase {
    private func intel(_ version: KernelVersion, host: Snapshot = ModelHosts.intelSGX) -> SupportedPrediction {
        KVMSupportedModel.predict(host: host, kernel: KernelProfile.for(version), module: .intel())
    }

    private func amd(_ version: KernelVersion, module: KVMModuleOptions = .amd) -> SupportedPrediction {
        KVMSupportedModel.predict(host: ModelHosts.amdZen4, kernel: KernelProfile.for(version), module: module)
    }

    func testEveryBitOfEveryEntryHasARule() {
        for profile in KVMKernelProfile.all {
            let version = profile.version
            let linux = KernelProfile.for(version)
            let predictions = [
                KVMSupportedModel.predict(host: ModelHosts.intelSGX, linux: linux, kvm: profile, module: .intel()),
                KVMSupportedModel.predict(host: ModelHosts.amdZen4, linux: linux, kvm: profile, module: .amd),
                KVMSupportedModel.predict(host: ModelHosts.amdZen4, linux: linux, kvm: profile, module: .pvm),
            ]
            for p in predictions {
                for entry in p.snapshot.entries {
                    for register in Register.allCases {
                        for bit in 0..<32 {
                            XCTAssertNotNil(p.rule(entry.leaf, entry.subleaf, register, bit: bit),
                                            "\(version) \(p.module) \(entry.key) \(register)[\(bit)]")
                        }
                    }
                }
            }
        }
    }

    func testLeaf0IsCappedAtTheKernelsHighestBasicLeaf() {
        var host = ModelHosts.intelSGX
        host.set(0, 0, .eax, to: 0x28)
        XCTAssertEqual(intel(KernelVersion(6, 1), host: host).snapshot.value(0, 0, .eax), 0x1F)
        XCTAssertEqual(intel(KernelVersion(6, 18), host: host).snapshot.value(0, 0, .eax), 0x24)
        let p = intel(KernelVersion(6, 1))
        XCTAssertEqual(p.snapshot.value(0, 0, .eax), 0x1B, "a lower host maximum is kept")
        XCTAssertEqual(p.snapshot.vendor, "GenuineIntel")
        XCTAssertNotNil(p.snapshot.entry(0x1B, 0), "every leaf up to the maximum gets an entry")
        XCTAssertNil(p.snapshot.entry(0x1C, 0))
    }

    func testLeaf1EmulatesX2APICAndOffersHypervisorOnlyFrom613() {
        var host = ModelHosts.intelSGX
        host.set(1, 0, .ecx, to: host.value(1, 0, .ecx) & ~(1 << 21))
        let old = intel(KernelVersion(6, 1), host: host)
        let new = intel(KernelVersion(6, 18), host: host)
        XCTAssertNotEqual(old.snapshot.value(1, 0, .ecx) & (1 << 21), 0, "X2APIC is emulated")
        XCTAssertNotEqual(new.snapshot.value(1, 0, .ecx) & (1 << 21), 0)
        XCTAssertEqual(old.snapshot.value(1, 0, .ecx) & (1 << 31), 0)
        XCTAssertNotEqual(new.snapshot.value(1, 0, .ecx) & (1 << 31), 0, "EMULATED_F(HYPERVISOR)")
        XCTAssertEqual(new.snapshot.value(1, 0, .ecx) & (1 << 27), 0, "OSXSAVE is a run-time bit")
        XCTAssertEqual(new.snapshot.value(1, 0, .eax), host.value(1, 0, .eax))
        XCTAssertNotEqual(new.snapshot.value(1, 0, .ecx) & (1 << 5), 0, "VMX with nested on")
    }

    func testLeaf7SubleavesFollowTheKernel() {
        let old = intel(KernelVersion(6, 1))
        XCTAssertEqual(old.snapshot.value(7, 0, .eax), 1)
        XCTAssertEqual(old.snapshot.subleaves(of: 7).map(\.subleaf), [0, 1])
        let new = intel(KernelVersion(6, 18))
        XCTAssertEqual(new.snapshot.value(7, 0, .eax), 2)
        XCTAssertEqual(new.snapshot.subleaves(of: 7).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(new.snapshot.value(7, 2, .edx), 0x4, "RRSBA_CTRL passes through CPUID_7_2_EDX")
        XCTAssertNotEqual(new.snapshot.value(7, 0, .ebx) & (1 << 1), 0, "TSC_ADJUST is emulated")
        XCTAssertNotEqual(old.snapshot.value(7, 0, .edx) & (1 << 29), 0, "ARCH_CAPABILITIES is emulated")
        XCTAssertTrue(new.snapshot.entry(7, 1)?.significantIndex ?? false)
    }

    func testLeafDOffersHostXSaveStatesThatKVMSupports() {
        let p = intel(KernelVersion(6, 1))
        XCTAssertEqual(p.snapshot.value(0xD, 0, .eax), 0x7, "x87, SSE, AVX; MPX states are not enabled by Linux")
        XCTAssertEqual(p.snapshot.value(0xD, 0, .ebx), 0x340, "576 bytes plus AVX's 256 at offset 576")
        XCTAssertEqual(p.snapshot.value(0xD, 0, .ecx), 0x340)
        XCTAssertEqual(p.snapshot.subleaves(of: 0xD).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(p.snapshot.value(0xD, 1, .ecx), 0, "no IA32_XSS states before 6.18")
        let amd = amd(KernelVersion(6, 18))
        XCTAssertEqual(amd.snapshot.value(0xD, 0, .eax), 0x2E7, "AVX-512 and PKRU states too")
    }

    func testHypervisorLeavesCarryTheKVMSignature() {
        let p = intel(KernelVersion(6, 2))
        let r = p.snapshot.registers(0x4000_0000, 0)
        XCTAssertEqual(r?.eax, 0x4000_0001)
        XCTAssertEqual(r.map { [$0.ebx, $0.ecx, $0.edx] }, [0x4B4D_564B, 0x564B_4D56, 0x4D])
        XCTAssertEqual(p.snapshot.value(0x4000_0001, 0, .eax), 0x0100_7EFB)
    }

    func testExtendedLeavesOnAnIntelHost() {
        let old = intel(KernelVersion(6, 1))
        XCTAssertEqual(old.snapshot.value(0x8000_0000, 0, .eax), 0x8000_0008, "not raised: the host has no 0x8000001D")
        XCTAssertEqual(old.snapshot.value(0x8000_0008, 0, .eax), 0x3027)
        XCTAssertEqual(old.snapshot.value(0x8000_0007, 0, .edx), 0x100, "invariant TSC only")
        XCTAssertEqual(old.snapshot.registers(0x8000_0002, 0), .zero, "brand leaves are not reported")
        let new = intel(KernelVersion(6, 18))
        XCTAssertEqual(new.snapshot.value(0x8000_0008, 0, .eax), 0x27_3027, "GuestPhysAddrSize from 6.10")
        XCTAssertNotEqual(new.snapshot.value(0x8000_0001, 0, .edx) & (1 << 20), 0, "NX")
        XCTAssertNotEqual(new.snapshot.value(0x8000_0001, 0, .edx) & (1 << 29), 0, "LM")
    }

    func testAMDNestedSVMAndSEVDefaults() {
        let p = amd(KernelVersion(6, 18))
        XCTAssertNotEqual(p.snapshot.value(0x8000_0001, 0, .ecx) & (1 << 2), 0, "SVM with nested on")
        XCTAssertEqual(p.snapshot.value(0x8000_000A, 0, .eax), 1)
        XCTAssertEqual(p.snapshot.value(0x8000_000A, 0, .ebx), 8)
        XCTAssertNotEqual(p.snapshot.value(0x8000_000A, 0, .edx) & (1 << 0), 0, "NPT")
        XCTAssertEqual(p.snapshot.value(0x8000_0000, 0, .eax), 0x8000_0022)
        XCTAssertEqual(p.snapshot.value(0x8000_001F, 0, .eax), 0, "no SEV without firmware")
        let noNested = amd(KernelVersion(6, 18), module: KVMModuleOptions(module: .kvmAMD, nested: false))
        XCTAssertEqual(noNested.snapshot.registers(0x8000_000A, 0), .zero)
        XCTAssertEqual(p.snapshot.value(7, 0, .edx) & (1 << 20), 0, "SVM clears IBT")
    }

    func testPVMClearsWhatItCannotVirtualize() {
        let p = amd(KernelVersion(6, 18), module: .pvm)
        XCTAssertEqual(p.snapshot.value(7, 0, .ebx) & (1 << 20), 0, "SMAP")
        XCTAssertNotEqual(p.snapshot.value(7, 0, .ebx) & (1 << 7), 0, "SMEP emulated with NX")
        XCTAssertEqual(p.snapshot.value(0xD, 1, .eax) & (1 << 3), 0, "XSAVES")
        XCTAssertNotEqual(p.snapshot.value(1, 0, .ecx) & (1 << 17), 0, "PCID")
        XCTAssertEqual(p.snapshot.value(0x8000_0001, 0, .ecx) & (1 << 2), 0, "no nested SVM")
        XCTAssertNotEqual(p.snapshot.value(0x8000_0001, 0, .edx) & (1 << 26), 0, "GBPAGES with shadow paging")
        XCTAssertTrue(p.notes.first?.contains("kvm_pvm") ?? false)
    }

    func testAnIntelOutOfRangeRawReadUsesTheHighestBasicLeafBefore613() {
        // A host whose maximum basic leaf (0x6) is below leaf 7: 6.1 ANDs with leaf 6's answer (Intel
        // semantics), 6.18 with zero.
        var host = ModelHosts.intelSGX
        host.set(0, 0, .eax, to: 0x6)
        host.set(CPUIDEntry(leaf: 0x6, eax: 0x4, ebx: 0xFFFF_FFFF, ecx: 0, edx: 0))
        let view = RawHostKernel(snapshot: host)
        let old = KVMSupportedModel.predict(host: host, kernel: .v6_1, hostKernel: view, module: .intel())
        let new = KVMSupportedModel.predict(host: host, kernel: .v6_18, hostKernel: view, module: .intel())
        let oldTrace = old.capabilities.trace(.cpuid_7_0_EBX, bit: 3)
        let newTrace = new.capabilities.trace(.cpuid_7_0_EBX, bit: 3)
        XCTAssertTrue(oldTrace?.steps.contains { $0.contains("Intel CPUs answer with leaf") } ?? false, "\(String(describing: oldTrace))")
        XCTAssertTrue(newTrace?.steps.contains { $0.contains("max leaf is below") } ?? false, "\(String(describing: newTrace))")
        XCTAssertFalse(new.capabilities.has(.cpuid_7_0_EBX, bit: 3))
        XCTAssertTrue(old.capabilities.has(.cpuid_7_0_EBX, bit: 3), "leaf 6's EBX has bit 3 set")
    }
}

extension ModelLeafRuleTests {
    func testAnAMDHostWithLeaf8000001DGetsLeaf80000021() {
        let old = KVMSupportedModel.predict(host: ModelHosts.amdZen4, kernel: KernelProfile.for(KernelVersion(6, 1)),
                                            module: .amd)
        XCTAssertEqual(old.snapshot.value(0x8000_0000, 0, .eax), 0x8000_0021)
        XCTAssertEqual(old.snapshot.value(0x8000_0021, 0, .eax), 0x45, "6.1 keeps bits 0, 2, 6 only")
        XCTAssertEqual(old.snapshot.value(0x8000_0021, 0, .ebx), 0)
    }
}

extension ModelLeafRuleTests {
    func testHostTopologyIsPassedThroughOnlyBefore62() {
        var host = ModelHosts.intelSGX
        host.set(CPUIDEntry(leaf: 0xB, subleaf: 0, eax: 1, ebx: 2, ecx: 0x100, edx: 7))
        host.set(CPUIDEntry(leaf: 0xB, subleaf: 1, eax: 4, ebx: 8, ecx: 0x201, edx: 7))
        host.set(CPUIDEntry(leaf: 0xB, subleaf: 2, eax: 0, ebx: 0, ecx: 0x002, edx: 7))
        let old = intel(KernelVersion(6, 1), host: host)
        XCTAssertEqual(old.snapshot.subleaves(of: 0xB).map(\.subleaf), [0, 1, 2])
        XCTAssertEqual(old.snapshot.value(0xB, 1, .ebx), 8)
        let new = intel(KernelVersion(6, 2), host: host)
        XCTAssertEqual(new.snapshot.subleaves(of: 0xB).map(\.subleaf), [0])
        XCTAssertEqual(new.snapshot.registers(0xB, 0), Registers(eax: 0, ebx: 0, ecx: 0, edx: 7))
    }
}
