import CPUID
import X86Features

extension KVMReportSection {
    /// The host features this machine's KVM leaves out, with the model's reasons: the live table when the
    /// section could read one, the model's prediction alone otherwise.
    public func unofferedFeatures(host: Snapshot, kernel: KernelProfile) -> KVMUnofferedReport {
        KVMUnofferedReport(host: host, live: supported, kernel: kernel, module: module)
    }
}
