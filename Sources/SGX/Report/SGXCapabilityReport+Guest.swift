import CPUID
import X86Features

/// What is known about the host a guest table is meant for: the kernel whose KVM runs the guest, and the
/// table KVM offers (KVM_GET_SUPPORTED_CPUID, live or predicted) when the guest table was composed from one.
public struct SGXGuestHost: Sendable {
    /// The host kernel's version (the running one, or the one a prediction modelled); nil when unknown.
    public var kernel: KernelVersion?
    /// True when `kernel` is the version a prediction modelled rather than the running kernel.
    public var kernelIsModelled: Bool
    /// KVM's supported table the guest table started from; nil when the base was not a KVM table.
    public var offered: Snapshot?
    /// How reasons name the offered table, e.g. `KVM_GET_SUPPORTED_CPUID (live, kvm_pvm)`.
    public var offeredName: String

    public init(kernel: KernelVersion?, kernelIsModelled: Bool = false, offered: Snapshot?, offeredName: String) {
        self.kernel = kernel
        self.kernelIsModelled = kernelIsModelled
        self.offered = offered
        self.offeredName = offeredName
    }
}

extension SGXCapabilityReport {
    /// The report for a guest CPUID table a VMM would give KVM: besides what the table enumerates, a guest
    /// needs an EPC section from the VMM (KVM's supported table never has one), a host KVM from Linux 6.2 on,
    /// KVM offering both AEX-Notify bits, and a guest kernel from 6.2 on.
    public init(guestTable table: Snapshot, host: SGXGuestHost) {
        self.init(table, source: .guestTable)
        let view = enumeration
        // When the table enumerates SGX, every AEX-Notify condition is listed, even if the guest lacks EPC.
        let enumerated = sgxAvailable
        if enumerated {
            sgxReasons += Self.guestSGXConditions(view)
        }
        var aex = sgxReasons
        if enumerated {
            // The two CPUID bits (the source only changes the conditions after them), then the guest's host.
            aex += Self.aexNotifyConditions(view, hypervisor: hypervisor, source: .guestTable).prefix(2)
            aex += Self.guestAEXNotifyConditions(host, table: view)
        }
        aexNotify = AEXNotifyVerdict(reasons: aex)
    }

    /// Conditions only a guest has: the EPC the VMM assigns, and launch control for a Linux guest's driver.
    static func guestSGXConditions(_ view: SGXEnumeration) -> [VerdictReason] {
        var reasons: [VerdictReason] = []
        let sections = view.epcSections.filter { $0.type == 1 }
        if sections.isEmpty {
            reasons.append(VerdictReason(.fails, "an EPC section for the guest (CPUID.(EAX=12H,ECX=2))",
                                         "the table has none: KVM's supported CPUID never lists EPC; the VMM must assign "
                                         + "guest EPC (e.g. QEMU's memory-backend-epc) and report it, or the guest kernel finds "
                                         + "no EPC and leaves SGX off"))
        } else {
            reasons.append(VerdictReason(.holds, "an EPC section for the guest (CPUID.(EAX=12H,ECX=2))",
                                         "\(sections.count) section(s), \(SGXEnumeration.formatBytes(view.totalEPC))"))
        }
        let lc = "\(SGXEnumeration.launchControlField) = \(view.launchControl ? 1 : 0)"
        reasons.append(VerdictReason(view.launchControl ? .holds : .unknown,
                                     "flexible launch control (SGX_LC) for a Linux guest's SGX driver",
                                     lc + (view.launchControl ? "" : ": a Linux guest creates /dev/sgx_enclave only with SGX_LC")))
        return reasons
    }

    /// The host side of AEX-Notify in a guest: KVM's version, and whether KVM offers what the table claims.
    static func guestAEXNotifyConditions(_ host: SGXGuestHost, table: SGXEnumeration) -> [VerdictReason] {
        let requirement = "host KVM in Linux \(aexNotifyKernel) or later (it reports EDECCSSA and AEXNOTIFY to guests from 6.2 on)"
        var reasons: [VerdictReason] = []
        if let version = host.kernel, host.kernelIsModelled {
            reasons.append(version >= aexNotifyKernel
                ? VerdictReason(.holds, requirement, "the modelled host runs Linux \(version)")
                : VerdictReason(.fails, requirement, "the modelled host runs Linux \(version), older than \(aexNotifyKernel)"))
        } else {
            reasons.append(kernelReason(host.kernel, requirement: requirement))
        }
        if let offered = host.offered {
            let offeredView = SGXEnumeration(offered)
            let bits = [("EDECCSSA", offeredView.edeccssa, table.edeccssa, "CPUID.(EAX=12H,ECX=0):EAX[11]"),
                        ("the AEXNOTIFY attribute", offeredView.aexNotifyAttribute, table.aexNotifyAttribute, "CPUID.(EAX=12H,ECX=1):EAX[10]")]
            for (name, offers, claimed, field) in bits {
                reasons.append(offers
                    ? VerdictReason(.holds, "KVM offers \(name)", "\(host.offeredName): \(field) = 1")
                    : VerdictReason(.fails, "KVM offers \(name)", "\(host.offeredName): \(field) = 0"
                                    + (claimed ? ": the guest table claims what this KVM does not back" : "")))
            }
        } else {
            reasons.append(VerdictReason(.unknown, "KVM offers EDECCSSA and the AEXNOTIFY attribute",
                                         "the table was not composed from a KVM supported table"))
        }
        reasons.append(VerdictReason(.unknown, "guest kernel Linux \(aexNotifyKernel) or later",
                                     "the guest's kernel is not known here; before 6.2 its SGX driver rejects enclaves with AEXNOTIFY"))
        return reasons
    }
}
