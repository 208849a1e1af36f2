import CPUID
import SGX
import X86Features
import XCTest

/// `SGXCapabilityReport(guestTable:host:)`: the conditions only a guest has.
final class SGXGuestReportTests: XCTestCase {
    /// A guest table: SGX and SGX_LC in leaf 7, leaf 0x12 as given, an EPC section unless `epc` is false.
    func table(leaf12eax: UInt32 = 0x803, attributes: UInt32 = 0x4f6, epc: Bool = true) -> Snapshot {
        var entries = [
            CPUIDEntry(leaf: 0, eax: 0x20, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69),
            CPUIDEntry(leaf: 1, eax: 0x806f8, ebx: 0, ecx: 1 << 31, edx: 0),
            CPUIDEntry(leaf: 7, eax: 0, ebx: 1 << 2, ecx: 1 << 30, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 0, eax: leaf12eax, ebx: 1, ecx: 0, edx: 0x381f),
            CPUIDEntry(leaf: 0x12, subleaf: 1, eax: attributes, ebx: 0, ecx: 0xe7, edx: 0),
        ]
        if epc { entries.append(CPUIDEntry(leaf: 0x12, subleaf: 2, eax: 0x1, ebx: 0x1, ecx: 0x0400_0001, edx: 0)) }
        return Snapshot(entries)
    }

    func status(_ report: SGXCapabilityReport, _ prefix: String) -> VerdictReason.Status? {
        report.aexNotify.reasons.first { $0.requirement.hasPrefix(prefix) }?.status
    }

    func testEverythingInPlaceLeavesOnlyTheGuestKernelUnknown() {
        let report = SGXCapabilityReport(guestTable: table(), host: SGXGuestHost(kernel: KernelVersion(6, 2), offered: table(epc: false), offeredName: "KVM"))
        XCTAssertTrue(report.sgxAvailable)
        XCTAssertTrue(report.aexNotify.usable)
        XCTAssertEqual(report.aexNotify.unknown.map(\.requirement), ["guest kernel Linux 6.2 or later"])
        XCTAssertEqual(status(report, "an EPC section"), .holds)
    }

    func testNoEPCSectionMeansNoSGXButTheAEXNotifyConditionsAreStillListed() {
        let report = SGXCapabilityReport(guestTable: table(epc: false), host: SGXGuestHost(kernel: KernelVersion(6, 2), offered: nil, offeredName: "-"))
        XCTAssertFalse(report.sgxAvailable)
        XCTAssertFalse(report.aexNotify.usable)
        XCTAssertEqual(report.aexNotify.failing.map(\.requirement), ["an EPC section for the guest (CPUID.(EAX=12H,ECX=2))"])
        XCTAssertEqual(status(report, "ENCLU[EDECCSSA]"), .holds)
        XCTAssertEqual(status(report, "KVM offers"), .unknown)
    }

    func testOldHostKernelFailsAndSaysWhetherItIsModelled() {
        let running = SGXCapabilityReport(guestTable: table(), host: SGXGuestHost(kernel: KernelVersion(6, 1), offered: nil, offeredName: "-"))
        XCTAssertEqual(status(running, "host KVM"), .fails)
        XCTAssertTrue(running.aexNotify.failing.contains { $0.evidence.contains("running Linux 6.1") })
        let modelled = SGXCapabilityReport(guestTable: table(), host: SGXGuestHost(kernel: KernelVersion(6, 1), kernelIsModelled: true, offered: nil, offeredName: "-"))
        XCTAssertTrue(modelled.aexNotify.failing.contains { $0.evidence.contains("the modelled host runs Linux 6.1") })
        let unknown = SGXCapabilityReport(guestTable: table(), host: SGXGuestHost(kernel: nil, offered: nil, offeredName: "-"))
        XCTAssertEqual(status(unknown, "host KVM"), .unknown)
    }

    func testABitKVMDoesNotOfferIsCalledOutWhenTheTableClaimsIt() {
        let offered = table(leaf12eax: 0x3, attributes: 0xb6, epc: false)
        let report = SGXCapabilityReport(guestTable: table(), host: SGXGuestHost(kernel: KernelVersion(6, 18), offered: offered, offeredName: "live KVM"))
        XCTAssertFalse(report.aexNotify.usable)
        let failing = report.aexNotify.failing
        XCTAssertEqual(failing.map(\.requirement), ["KVM offers EDECCSSA", "KVM offers the AEXNOTIFY attribute"])
        XCTAssertTrue(failing.allSatisfy { $0.evidence.hasPrefix("live KVM: ") && $0.evidence.hasSuffix("the guest table claims what this KVM does not back") })
        let honest = SGXCapabilityReport(guestTable: table(leaf12eax: 0x3, attributes: 0xb6), host: SGXGuestHost(kernel: KernelVersion(6, 18), offered: offered, offeredName: "live KVM"))
        XCTAssertFalse(honest.aexNotify.failing.contains { $0.evidence.contains("claims") })
    }

    func testWithoutLaunchControlALinuxGuestIsUnknownNotRefused() {
        var guest = table()
        guest.set(7, 0, .ecx, to: 0)
        let report = SGXCapabilityReport(guestTable: guest, host: SGXGuestHost(kernel: KernelVersion(6, 2), offered: nil, offeredName: "-"))
        XCTAssertTrue(report.sgxAvailable)
        XCTAssertEqual(report.sgxReasons.first { $0.requirement.hasPrefix("flexible launch control") }?.status, .unknown)
    }
}
