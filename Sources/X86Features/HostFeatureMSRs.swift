import CPUID

/// This machine's feature MSRs through /dev/cpu/N/msr, or why they could not be read: the bug rules and
/// KVM's model need them, and a report must say when they are missing rather than guess.
public enum HostFeatureMSRs {
    public enum Outcome: Sendable {
        case read([MSR], from: String)
        case unavailable(String)
    }

    /// Every feature MSR vcpuid names, read on `cpu`.
    public static func read(cpu: Int) -> Outcome {
        do {
            let msrs = try DevMSRFile.read(cpu: cpu, indices: FeatureMSRNames.table.keys.sorted())
            return .read(msrs, from: DevMSRFile.path(cpu: cpu))
        } catch {
            return .unavailable(error.description)
        }
    }
}
