import CPUID
import Glibc

/// The live KVM part of the default `vcpuid` report: the vendor module and its parameters, the API version,
/// and how many entries KVM_GET_SUPPORTED_CPUID returns. Never throws: a machine without a usable /dev/kvm
/// gets lines that say why.
public struct KVMReportSection: Hashable, Sendable {
    public var module: KVMModuleInfo
    public var devicePresent: Bool
    public var apiVersion: Int32?
    public var supportedEntryCount: Int?
    /// The supported table itself, for callers that report more (e.g. features KVM does not offer).
    public var supported: Snapshot?
    /// Why the device could not be used, when it could not.
    public var error: KVMError?
    /// KVM_GET_MSRS on /dev/kvm for every feature MSR (empty where none is offered or the read failed).
    public var featureMSRs: [MSR] = []

    public init(module: KVMModuleInfo, devicePresent: Bool, apiVersion: Int32?, supportedEntryCount: Int?,
                supported: Snapshot?, error: KVMError?) {
        self.module = module
        self.devicePresent = devicePresent
        self.apiVersion = apiVersion
        self.supportedEntryCount = supportedEntryCount
        self.supported = supported
        self.error = error
    }

    /// Reads /sys/module and asks /dev/kvm.
    public static func live(device: String = "/dev/kvm", sysModule: String = "/sys/module") -> KVMReportSection {
        let module = KVMModuleInfo.detect(sysModule: sysModule)
        guard KVMSystem.isPresent(path: device) else {
            return KVMReportSection(module: module, devicePresent: false, apiVersion: nil, supportedEntryCount: nil,
                                    supported: nil, error: .cannotOpen(path: device, errno: ENOENT))
        }
        do {
            let system = try KVMSystem(path: device)
            let version = try system.apiVersion()
            let supported = try system.supportedCPUID()
            var section = KVMReportSection(module: module, devicePresent: true, apiVersion: version,
                                           supportedEntryCount: supported.count, supported: supported, error: nil)
            section.featureMSRs = (try? system.offeredFeatureMSRs()) ?? []
            return section
        } catch {
            return KVMReportSection(module: module, devicePresent: true, apiVersion: nil, supportedEntryCount: nil,
                                    supported: nil, error: error)
        }
    }

    /// `label  value` rows, labels padded to one column, as the report prints them.
    public var rows: [(label: String, value: String)] {
        var rows: [(String, String)] = []
        var moduleText = module.name ?? "none loaded (no kvm_intel, kvm_amd or other kvm_* module in /sys/module)"
        if !module.parameters.isEmpty {
            moduleText += " (" + module.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ", ") + ")"
        }
        rows.append(("kvm module", moduleText))
        if let apiVersion { rows.append(("kvm api", "\(apiVersion)")) }
        if let supportedEntryCount { rows.append(("kvm offers", "\(supportedEntryCount) CPUID entries (KVM_GET_SUPPORTED_CPUID)")) }
        if let error { rows.append(("kvm", devicePresent ? "unusable: \(error)" : "no /dev/kvm: \(error.advice ?? "")")) }
        return rows
    }

    /// The section as text lines with aligned labels.
    public func lines(labelWidth: Int = 11) -> [String] {
        rows.map { row in
            let pad = max(1, labelWidth - row.label.count)
            return row.label + String(repeating: " ", count: pad) + row.value
        }
    }
}
