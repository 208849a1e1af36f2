import CPUID

extension GuestVerification {
    /// The report's line for a supported table the caller already read (the report's KVM section did), so
    /// that KVM_GET_SUPPORTED_CPUID is not asked twice: the table, unedited, verified in a guest.
    public static func reportLine(supported: Snapshot, moduleName: String?, path: String = "/dev/kvm",
                                  timeout: Duration = GuestProbe.defaultTimeout) -> String {
        let name = "KVM_GET_SUPPORTED_CPUID (live" + (moduleName.map { ", \($0)" } ?? "") + ")"
        let composition: GuestComposition
        do {
            let base = GuestBase(kind: .live, snapshot: supported, name: name)
            composition = try GuestTableComposer(directory: GuestFeatureTable([])).compose(GuestPolicy(), on: base)
        } catch {
            return "guest verified: not checked (\(error))"
        }
        do {
            return try run(composition, timeout: timeout, path: path).summary
        } catch {
            return "guest verified: failed (\(error))"
        }
    }
}
