import CPUID
import KVM
import X86Features

/// The report's guest line: KVM's supported table, unedited, given to a real guest whose CPUID is compared
/// with it (what `vcpuid guest verify` does with no edits).
extension ReportCommand {
    static func guestSection(_ context: ReportContext) -> ReportSection {
        let row: ReportRow
        if let kvm = context.kvm {
            if let supported = kvm.supported {
                let msrs = kvm.featureMSRs
                let kernel = context.kernelRelease.flatMap { KernelVersion($0) } ?? context.kernel.version
                let line = GuestVerification.reportLine(supported: supported, moduleName: kvm.module.name,
                                                        featureMSRs: msrs, kernel: kernel)
                let verified = line.hasPrefix("guest verified: ") ? String(line.dropFirst("guest verified: ".count)) : line
                row = ReportRow(key: "verified", label: "guest verified", value: .text(verified))
            } else {
                let why = kvm.error.map { "\($0)" } ?? "KVM_GET_SUPPORTED_CPUID gave no table"
                row = ReportRow(key: "verified", label: "guest verified", value: .shown(.none, as: "not checked: \(why)"))
            }
        } else {
            row = ReportRow(key: "verified", label: "guest verified", value: .shown(.none, as: "not applicable to a dump"))
        }
        return ReportSection(key: "guest", title: "Guest", rows: [row])
    }
}
