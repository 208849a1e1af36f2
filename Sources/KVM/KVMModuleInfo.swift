/// Which vendor module provides /dev/kvm here and the parameters that change what it offers.
/// Read from /sys/module, because the same API behaves differently under kvm_intel, kvm_amd and kvm_pvm.
public struct KVMModuleInfo: Hashable, Sendable {
    /// `kvm_intel`, `kvm_amd`, `kvm_pvm`, ...; nil when no vendor module is loaded.
    public var name: String?
    /// Parameters that matter for CPUID, e.g. `sgx`, `nested`, `ept`, with their sysfs values.
    public var parameters: [String: String]

    public init(name: String?, parameters: [String: String]) {
        self.name = name
        self.parameters = parameters
    }

    public static let knownVendorModules = ["kvm_intel", "kvm_amd", "kvm_pvm"]
    public static let interestingParameters = ["sgx", "nested", "ept", "npt", "enable_pmu", "avic", "enable_apicv"]

    /// Reads /sys/module (or another root, for tests).
    public static func detect(sysModule: String = "/sys/module") -> KVMModuleInfo {
        let present = knownVendorModules.filter { SysfsFile.exists("\(sysModule)/\($0)") }
        let others = SysfsFile.names(in: sysModule)
            .filter { $0.hasPrefix("kvm_") && !knownVendorModules.contains($0) }
            .sorted()
        guard let name = present.first ?? others.first else { return KVMModuleInfo(name: nil, parameters: [:]) }
        var parameters: [String: String] = [:]
        for parameter in interestingParameters {
            let path = "\(sysModule)/\(name)/parameters/\(parameter)"
            if let text = SysfsFile.trimmedContents(path) {
                parameters[parameter] = text
            }
        }
        return KVMModuleInfo(name: name, parameters: parameters)
    }
}
