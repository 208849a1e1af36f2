import CPUID
import X86Features

extension GuestVerification {
    /// The report's line for a supported table the caller already read (the report's KVM section did), so
    /// that KVM_GET_SUPPORTED_CPUID is not asked twice: the table, unedited, verified in a guest.
    /// With `featureMSRs` (KVM_GET_MSRS on /dev/kvm) and the rules' kernel, the guest also gets KVM's feature
    /// MSRs, as QEMU gives them, and reads each with RDMSR.
    public static func reportLine(supported: Snapshot, moduleName: String?, featureMSRs: [MSR] = [],
                                  kernel: KernelVersion? = nil, path: String = "/dev/kvm",
                                  timeout: Duration = GuestProbe.defaultTimeout) -> String {
        let name = "KVM_GET_SUPPORTED_CPUID (live" + (moduleName.map { ", \($0)" } ?? "") + ")"
        var table = supported
        for msr in featureMSRs where msr.value.bits != nil { table.setMSR(msr) }
        let composition: GuestComposition
        do {
            let base = GuestBase(kind: .live, snapshot: table, name: name)
            composition = try GuestTableComposer(directory: GuestFeatureTable([])).compose(GuestPolicy(), on: base)
        } catch {
            return "guest verified: not checked (\(error))"
        }
        var plan: GuestMSRPlan?
        if let kernel, let module = moduleName.flatMap(KVMModuleOptions.Module.init(rawValue:)), !featureMSRs.isEmpty {
            plan = GuestMSRPlan(composition: composition, kernel: kernel, module: module)
        }
        do {
            return try run(composition, msrPlan: plan, timeout: timeout, path: path).summary
        } catch {
            return "guest verified: failed (\(error))"
        }
    }
}
