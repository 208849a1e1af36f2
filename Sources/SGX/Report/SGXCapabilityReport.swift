import CPUID
import X86Features

/// Where the CPUID view of a report comes from; it decides which software conditions apply.
public enum SGXViewSource: Hashable, Sendable {
    /// The CPU this program runs on, under this Linux kernel (a guest when the view shows a hypervisor).
    case liveCPU(kernel: KernelVersion?)
    /// A dump file: the kernel that will run enclaves is unknown.
    case dump
    /// KVM_GET_SUPPORTED_CPUID of this host's KVM, under this kernel.
    case kvmSupported(kernel: KernelVersion?)
    /// A guest CPUID table composed for a VMM.
    case guestTable
}

/// The SGX capability report for one CPUID view: every SGX enumeration fact and the AEX-Notify verdict.
public struct SGXCapabilityReport: Hashable, Sendable {
    /// The Linux release that lets enclaves use AEX-Notify and lets KVM report EDECCSSA and AEXNOTIFY to guests.
    public static let aexNotifyKernel = KernelVersion(6, 2)

    public var enumeration: SGXEnumeration
    public var vendor: String
    public var hypervisor: String?
    public var source: SGXViewSource
    /// Why SGX as a whole is or is not available.
    public var sgxReasons: [VerdictReason]
    public var aexNotify: AEXNotifyVerdict

    public init(_ snapshot: Snapshot, source: SGXViewSource) {
        let view = SGXEnumeration(snapshot)
        enumeration = view
        vendor = snapshot.vendor
        hypervisor = snapshot.hypervisorVendor
        self.source = source
        sgxReasons = Self.sgxConditions(view, vendor: snapshot.vendor, hypervisor: snapshot.hypervisorVendor,
                                        source: source)
        let available = !sgxReasons.contains { $0.status == .fails }
        aexNotify = AEXNotifyVerdict(reasons: sgxReasons
            + (available ? Self.aexNotifyConditions(view, hypervisor: hypervisor, source: source) : []))
    }

    /// SGX is present when every one of these holds.
    public var sgxAvailable: Bool { !sgxReasons.contains { $0.status == .fails } }

    static func sgxConditions(_ view: SGXEnumeration, vendor: String, hypervisor: String?,
                              source: SGXViewSource) -> [VerdictReason] {
        var reasons: [VerdictReason] = []
        if view.sgx {
            reasons.append(VerdictReason(.holds, "SGX enumerated", "\(SGXEnumeration.sgxField) = 1"))
        } else {
            var why = "\(SGXEnumeration.sgxField) = 0"
            switch CPUVendor(identification: vendor) {
            case .amd, .hygon:
                why += ": \(vendor) processors do not implement SGX (it is an Intel extension; AMD's confidential computing is SEV)"
            case .intel:
                why += hypervisor != nil
                    ? ": the hypervisor (\(hypervisor ?? "")) does not pass SGX to this guest"
                    : ": this Intel CPU lacks SGX, or firmware disabled it (SGX was removed from client CPUs from the 11th generation)"
            default:
                why += vendor.isEmpty ? "" : ": \(vendor) processors do not implement SGX"
            }
            reasons.append(VerdictReason(.fails, "SGX enumerated", why))
            return reasons
        }
        guard view.leafInRange else {
            reasons.append(VerdictReason(.fails, "leaf 0x12 in range", "CPUID.(EAX=00H):EAX < 12H: the SGX leaf is not reported"))
            return reasons
        }
        if view.sgx1 {
            reasons.append(VerdictReason(.holds, "SGX1 leaf functions", "CPUID.(EAX=12H,ECX=0):EAX[0] = 1"))
        } else {
            reasons.append(VerdictReason(.fails, "SGX1 leaf functions",
                                         "CPUID.(EAX=12H,ECX=0):EAX[0] = 0 although SGX = 1: SGX is disabled (firmware, or a VMM that hides leaf 0x12)"))
        }
        // Linux creates /dev/sgx_enclave only with flexible launch control; a dump may be read for another OS.
        let hostView = switch source {
        case .liveCPU, .dump: hypervisor == nil
        case .kvmSupported, .guestTable: false
        }
        if hostView {
            let lc = "\(SGXEnumeration.launchControlField) = \(view.launchControl ? 1 : 0)"
            let status: VerdictReason.Status
            if view.launchControl {
                status = .holds
            } else if case .liveCPU = source {
                status = .fails
            } else {
                status = .unknown
            }
            reasons.append(VerdictReason(status, "flexible launch control (SGX_LC) for Linux's SGX driver",
                                         lc + (view.launchControl ? "" : ": Linux creates /dev/sgx_enclave only with SGX_LC")))
        }
        return reasons
    }

    static func aexNotifyConditions(_ view: SGXEnumeration, hypervisor: String?, source: SGXViewSource) -> [VerdictReason] {
        var reasons: [VerdictReason] = []
        let edeccssaField = "CPUID.(EAX=12H,ECX=0):EAX[11]"
        let attributeField = "CPUID.(EAX=12H,ECX=1):EAX[10]"
        reasons.append(view.edeccssa
            ? VerdictReason(.holds, "ENCLU[EDECCSSA]", "\(edeccssaField) = 1")
            : VerdictReason(.fails, "ENCLU[EDECCSSA]", "\(edeccssaField) = 0: EDECCSSA is missing, so a notified handler cannot return to the interrupted SSA frame; every notification would use up one more frame"))
        reasons.append(view.aexNotifyAttribute
            ? VerdictReason(.holds, "SECS.ATTRIBUTES.AEXNOTIFY allowed", "\(attributeField) = 1")
            : VerdictReason(.fails, "SECS.ATTRIBUTES.AEXNOTIFY allowed", "\(attributeField) = 0: ECREATE rejects enclaves that ask for AEX notifications"))
        let kernel = "Linux \(aexNotifyKernel) or later"
        switch source {
        case let .liveCPU(version):
            if let hypervisor {
                reasons.append(VerdictReason(.unknown, "host KVM \(kernel), and a VMM that passes EDECCSSA and AEXNOTIFY",
                                             "in a guest (\(hypervisor)): this view is what the VMM passed; the host's kernel cannot be seen from here"))
            }
            reasons.append(kernelReason(version, requirement: "\(hypervisor == nil ? "host" : "guest") kernel \(kernel) (the SGX driver accepts SECS.ATTRIBUTES.AEXNOTIFY from 6.2 on)"))
        case .dump:
            reasons.append(VerdictReason(.unknown, "host kernel \(kernel)", "a dump does not say which kernel runs the enclaves; before 6.2 the SGX driver rejects enclaves with AEXNOTIFY"))
            if let hypervisor {
                reasons.append(VerdictReason(.unknown, "host KVM \(kernel), and a VMM that passes EDECCSSA and AEXNOTIFY",
                                             "a guest view (\(hypervisor)): both bits above are what the VMM passed"))
            }
        case let .kvmSupported(version):
            reasons.append(kernelReason(version, requirement: "KVM in \(kernel) (it reports EDECCSSA and AEXNOTIFY to guests from 6.2 on)"))
            reasons.append(VerdictReason(.unknown, "a VMM that passes both bits into the guest's CPUID", "KVM offers them; the VMM decides"))
        case .guestTable:
            reasons.append(VerdictReason(.unknown, "host KVM \(kernel)", "the guest table is what the VMM asks for; KVM must support it"))
        }
        return reasons
    }

    static func kernelReason(_ version: KernelVersion?, requirement: String) -> VerdictReason {
        guard let version else { return VerdictReason(.unknown, requirement, "kernel version unknown") }
        return version >= aexNotifyKernel
            ? VerdictReason(.holds, requirement, "running Linux \(version)")
            : VerdictReason(.fails, requirement, "running Linux \(version), older than \(aexNotifyKernel)")
    }
}
