import CPUID
import SGX
import X86Features
import XCTest

final class SGXCapabilityReportTests: XCTestCase {
    /// An SGX host: leaf 0 up to 0x20, SGX and SGX_LC in leaf 7, leaf 0x12 as given.
    func snapshot(leaf12eax: UInt32, attributes: UInt32, vendor: (UInt32, UInt32, UInt32) = (0x756e_6547, 0x4965_6e69, 0x6c65_746e),
                  hypervisor: Bool = false) -> Snapshot {
        Snapshot([
            CPUIDEntry(leaf: 0, eax: 0x20, ebx: vendor.0, ecx: vendor.2, edx: vendor.1),
            CPUIDEntry(leaf: 1, eax: 0x806f8, ebx: 0, ecx: hypervisor ? 1 << 31 : 0, edx: 0),
            CPUIDEntry(leaf: 7, eax: 0, ebx: 1 << 2, ecx: 1 << 30, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 0, eax: leaf12eax, ebx: 1, ecx: 0, edx: 0x381f),
            CPUIDEntry(leaf: 0x12, subleaf: 1, eax: attributes, ebx: 0, ecx: 0xe7, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 2, eax: 0x00c0_0001, ebx: 0, ecx: 0x7f00_0001, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 3, eax: 0, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x4000_0000, eax: 0x4000_0001, ebx: 0x4b4d_564b, ecx: 0x564b_4d56, edx: 0x4d),
        ])
    }

    func testEDECCSSAAndAEXNotifyAttributeMakeItUsable() {
        let report = SGXCapabilityReport(snapshot(leaf12eax: 0x803, attributes: 0x4f6), source: .dump)
        XCTAssertTrue(report.sgxAvailable)
        XCTAssertTrue(report.aexNotify.usable)
        XCTAssertTrue(report.aexNotify.failing.isEmpty)
        XCTAssertEqual(report.aexNotify.unknown.count, 1, "the dump's kernel")
        XCTAssertTrue(report.enumeration.allowsAttribute("KSS"))
        XCTAssertTrue(report.enumeration.allowsAttribute("CET"))
        XCTAssertFalse(report.enumeration.allowsAttribute("INIT"))
    }

    func testMissingEDECCSSAMakesItUnusable() {
        let report = SGXCapabilityReport(snapshot(leaf12eax: 0x3, attributes: 0x4f6), source: .dump)
        XCTAssertTrue(report.sgxAvailable)
        XCTAssertFalse(report.aexNotify.usable)
        XCTAssertEqual(report.aexNotify.failing.map(\.requirement), ["ENCLU[EDECCSSA]"])
        XCTAssertTrue(report.aexNotify.failing[0].evidence.contains("CPUID.(EAX=12H,ECX=0):EAX[11] = 0"))
    }

    func testMissingAttributeMakesItUnusable() {
        let report = SGXCapabilityReport(snapshot(leaf12eax: 0x803, attributes: 0xf6), source: .dump)
        XCTAssertEqual(report.aexNotify.failing.map(\.requirement), ["SECS.ATTRIBUTES.AEXNOTIFY allowed"])
    }

    func testHostKernelMustBe62OrLater() {
        let old = SGXCapabilityReport(snapshot(leaf12eax: 0x803, attributes: 0x4f6), source: .liveCPU(kernel: KernelVersion(6, 1)))
        XCTAssertFalse(old.aexNotify.usable)
        XCTAssertTrue(old.aexNotify.failing[0].evidence.contains("6.1"))
        let new = SGXCapabilityReport(snapshot(leaf12eax: 0x803, attributes: 0x4f6), source: .liveCPU(kernel: KernelVersion(6, 2)))
        XCTAssertTrue(new.aexNotify.usable)
        XCTAssertTrue(new.aexNotify.unknown.isEmpty)
    }

    func testGuestNeedsHostKVMAndVMM() {
        let guest = SGXCapabilityReport(snapshot(leaf12eax: 0x803, attributes: 0x4f6, hypervisor: true),
                                        source: .liveCPU(kernel: KernelVersion(6, 8)))
        XCTAssertEqual(guest.hypervisor, "KVMKVMKVM")
        XCTAssertTrue(guest.aexNotify.usable)
        XCTAssertTrue(guest.aexNotify.unknown.contains { $0.requirement.contains("host KVM") })
        let kvm = SGXCapabilityReport(snapshot(leaf12eax: 0x803, attributes: 0x4f6), source: .kvmSupported(kernel: KernelVersion(6, 1)))
        XCTAssertFalse(kvm.aexNotify.usable)
    }

    func testAMDHasNoSGXAndSaysWhy() {
        let amd = Snapshot([
            CPUIDEntry(leaf: 0, eax: 0x10, ebx: 0x6874_7541, ecx: 0x444d_4163, edx: 0x6974_6e65),
            CPUIDEntry(leaf: 7, eax: 0, ebx: 0x219c_97a9, ecx: 0, edx: 0),
        ])
        let report = SGXCapabilityReport(amd, source: .liveCPU(kernel: KernelVersion(6, 18)))
        XCTAssertEqual(report.vendor, "AuthenticAMD")
        XCTAssertFalse(report.sgxAvailable)
        XCTAssertFalse(report.aexNotify.usable)
        XCTAssertTrue(report.sgxReasons[0].evidence.contains("AuthenticAMD processors do not implement SGX"))
    }

    func testThisMachine() throws {
        guard CPUIDInstruction.isAvailable else { throw XCTSkip("no CPUID instruction on this architecture") }
        var entries: [CPUIDEntry] = []
        for (leaf, subleaf) in [(UInt32(0), UInt32(0)), (1, 0), (7, 0), (0x12, 0), (0x12, 1)] {
            let r = CPUIDInstruction.execute(leaf, subleaf)
            entries.append(CPUIDEntry(leaf: leaf, subleaf: subleaf, eax: r.eax, ebx: r.ebx, ecx: r.ecx, edx: r.edx))
        }
        let live = Snapshot(entries)
        let report = SGXCapabilityReport(live, source: .liveCPU(kernel: nil))
        XCTAssertEqual(report.sgxAvailable, live.isSet(CPUIDField(7, 0, .ebx, bit: 2)) && live.isSet(CPUIDField(0x12, 0, .eax, bit: 0)))
        if !report.sgxAvailable {
            XCTAssertFalse(report.aexNotify.usable)
            XCTAssertFalse(report.sgxReasons.filter { $0.status == .fails }.isEmpty, "absence comes with a reason")
        }
    }
}
