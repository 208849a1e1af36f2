import CPUID
import KVM
import X86Features

/// The report's KVM section: the live module and /dev/kvm, and the host features KVM does not offer, with
/// the model's reasons. For a dump there is no live KVM; the section shows the model's view instead.
extension ReportCommand {
    /// How many unoffered features the text lists before it counts the rest (--verbose and --json list all).
    static let unofferedShown = 10

    static func kvmSection(_ context: ReportContext) -> ReportSection {
        var rows: [ReportRow] = []
        let unoffered: KVMUnofferedReport
        if let kvm = context.kvm {
            rows.append(ReportRow(key: "module", label: "kvm module",
                                  value: kvm.module.name.map { .text($0) } ?? .shown(.none, as: "none loaded (no kvm_* module in /sys/module)")))
            if kvm.module.name != nil {
                let parameters = kvm.module.parameters.sorted { $0.key < $1.key }
                let text = parameters.isEmpty
                    ? "none of " + KVMModuleInfo.interestingParameters.joined(separator: ", ") + " in /sys/module"
                    : parameters.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                rows.append(ReportRow(key: "parameters", label: "kvm parameters",
                                      value: .shown(.object(parameters.map { ($0.key, .text($0.value)) }), as: text)))
            }
            if let error = kvm.error {
                let why = kvm.devicePresent ? "unusable: \(error)" : "no /dev/kvm" + (error.advice.map { ": \($0)" } ?? "")
                rows.append(ReportRow(key: "device", label: "/dev/kvm", value: .shown(.none, as: why)))
            }
            if let version = kvm.apiVersion {
                rows.append(ReportRow(key: "api_version", label: "kvm api", value: .number(Int(version))))
            }
            if let count = kvm.supportedEntryCount {
                rows.append(ReportRow(key: "supported_entries", label: "kvm offers",
                                      value: .shown(.number(count), as: "\(count) CPUID entries (KVM_GET_SUPPORTED_CPUID)")))
            }
            if let row = featureMSRRow(context, kvm: kvm) { rows.append(row) }
            unoffered = kvm.unofferedFeatures(host: context.snapshot, kernel: context.kernel)
            rows.append(ReportRow(key: "model_coverage", label: "model", value: .text(unoffered.coverage)))
        } else {
            rows.append(ReportRow(key: "device", label: "live kvm", value: .shown(.none, as: "not applicable to a dump (the model's view follows)")))
            unoffered = KVMUnofferedReport(host: context.snapshot, live: nil, kernel: context.kernel,
                                           module: KVMModuleInfo(name: nil, parameters: [:]))
            rows.append(ReportRow(key: "model_coverage", label: "model",
                                  value: .text("\(unoffered.modelled.module.rawValue) of Linux \(context.kernel.version) for this CPU's vendor")))
            rows.append(ReportRow(key: "supported_entries", label: "kvm would offer",
                                  value: .shown(.number(unoffered.prediction.snapshot.count),
                                                as: "\(unoffered.prediction.snapshot.count) CPUID entries (predicted)")))
        }
        rows.append(unofferedRow(unoffered, fromLiveTable: context.kvm?.supported != nil, verbose: context.verbose))
        return ReportSection(key: "kvm", title: "KVM", rows: rows)
    }

    /// KVM's feature MSRs on /dev/kvm and how they compare with the model (host bugs from /proc/cpuinfo).
    static func featureMSRRow(_ context: ReportContext, kvm: KVMReportSection) -> ReportRow? {
        let live = kvm.featureMSRs
        guard !live.isEmpty, let module = KVMModuleOptions(detected: kvm.module) else { return nil }
        let version = context.kernelRelease.flatMap { KernelVersion($0) } ?? context.kernel.version
        let hostKernel: any KVMHostKernelView = ProcBugsKernelView.running(base: context.linux, kernel: context.kernel)
            ?? context.linux
        let model = KVMFeatureMSRModel.predict(host: context.snapshot, hostKernel: hostKernel, kernel: version, module: module)
        let comparison = KVMFeatureMSRComparison(live: live, model: model)
        let arch = live.first { $0.index == FeatureMSRBits.archCapabilities }.map { " ARCH_CAPABILITIES \($0.value)," } ?? ""
        let verdict = comparison.differences.isEmpty
            ? "agree with the model of Linux \(version.release) \(module.module.rawValue)"
            : "\(comparison.differences.count) differences from the model (see vcpuid kvm diff)"
        return ReportRow(key: "feature_msrs", label: "kvm feature MSRs",
                         value: .shown(.number(live.count), as: "\(live.count) (KVM_GET_MSR_FEATURE_INDEX_LIST);\(arch) \(verdict)"))
    }

    /// The count, then one detail line per register and reason (features that fail for the same reason in
    /// the same register read as one line), the first few groups unless `verbose`; every feature in JSON.
    static func unofferedRow(_ report: KVMUnofferedReport, fromLiveTable: Bool, verbose: Bool) -> ReportRow {
        let features = report.features
        let json: ReportValue = .list(features.map { feature in
            .object([("name", .text(feature.name)), ("field", .text(feature.field.description)), ("reason", .text(feature.reason))])
        })
        let groups = UnofferedGroup.grouping(features)
        let whose = fromLiveTable ? "host features this KVM does not offer" : "host features KVM would not offer (model)"
        let shown = verbose ? groups.count : min(groups.count, unofferedShown)
        var text = "\(features.count) \(whose)"
        if shown < groups.count { text += "; \(shown) of \(groups.count) groups shown, all with --verbose or --json" }
        var details = groups.prefix(shown).map(\.description)
        if shown < groups.count {
            let rest = groups.dropFirst(shown).reduce(0) { $0 + $1.names.count }
            details.append("... and \(rest) more in \(groups.count - shown) more groups")
        }
        return ReportRow(key: "not_offered", label: "not offered", value: .shown(json, as: text), details: details)
    }
}

/// Unoffered features that share a register and a reason, so that a module masking a whole register
/// (kvm_pvm's leaf 1 ECX, say) reads as one line instead of a dozen.
struct UnofferedGroup: CustomStringConvertible {
    var register: String
    var reason: String
    var names: [String]

    static func grouping(_ features: [KVMUnofferedFeature]) -> [UnofferedGroup] {
        var groups: [UnofferedGroup] = []
        for feature in features {
            // The SDM notation of the whole register: the field's own description without its bit suffix.
            let register = String(CPUIDField(feature.field.leaf, feature.field.subleaf, feature.field.register, bit: 0)
                .description.dropLast(3))
            if let i = groups.firstIndex(where: { $0.register == register && $0.reason == feature.reason }) {
                groups[i].names.append(feature.name)
            } else {
                groups.append(UnofferedGroup(register: register, reason: feature.reason, names: [feature.name]))
            }
        }
        return groups
    }

    var description: String {
        names.count == 1
            ? "\(names[0]) (\(register)): \(reason)"
            : "\(register): \(names.joined(separator: " ")): \(reason)"
    }
}
