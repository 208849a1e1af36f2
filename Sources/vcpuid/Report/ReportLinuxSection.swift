import CPUID
import SGX
import X86Features

/// The report's Linux view (what the kernel makes of this CPU) and its SGX summary line.
extension ReportCommand {
    static func linuxSection(_ context: ReportContext) -> ReportSection {
        let view = context.linux
        let profile = context.kernel.version
        var rows: [ReportRow] = []
        let profileText: String
        if let release = context.kernelRelease {
            if let running = KernelVersion(release) {
                let resolution = KernelResolution(running)
                profileText = resolution.isExact
                    ? "Linux \(profile) (the running \(release)'s release" + (resolution.pointReleaseNote.map { "; \($0))" } ?? ")")
                    : "Linux \(profile) stands in for the running \(running) (\(release)): \(resolution.substitution ?? "")"
            } else {
                profileText = "Linux \(profile) (the running release '\(release)' is not a version vcpuid understands: the newest profile)"
            }
        } else if context.isLive {
            profileText = "Linux \(profile) (uname failed: the newest modelled profile)"
        } else {
            profileText = "Linux \(profile) (a dump does not say which kernel runs it: the newest modelled profile)"
        }
        rows.append(ReportRow(key: "kernel_profile", label: "kernel profile",
                              value: .shown(.text(profile.description), as: profileText)))
        if let release = context.kernelRelease {
            rows.append(ReportRow(key: "running_kernel", label: "running kernel", value: .text(release)))
        }
        let flags = view.procFlags.count
        let bugs = view.procBugs.count
        let hidden = view.setFeatures.count - flags
        rows.append(ReportRow(key: "flags", label: "cpuinfo flags", value: .number(flags)))
        let undecided = view.undecidedBugs
        let undecidedText: String
        if undecided.isEmpty {
            undecidedText = "all decided"
        } else {
            let msrs = Set(undecided.flatMap(\.missingMSRs)).sorted().map { "0x" + String($0, radix: 16, uppercase: true) }
            undecidedText = "\(undecided.count) more could not be decided for lack of MSR \(msrs.joined(separator: ", "))"
        }
        rows.append(ReportRow(key: "bugs", label: "cpuinfo bugs",
                              value: .shown(.number(bugs), as: "\(bugs) (from CPUID, the kernel's vulnerability tables, "
                                  + "ARCH_CAPABILITIES and microcode; \(undecidedText))")))
        rows.append(ReportRow(key: "bugs_undecided", label: "undecided bugs",
                              value: .shown(.list(undecided.map { .text($0.procName ?? $0.name.lowercased()) }),
                                            as: undecided.isEmpty ? "none" : undecided.map { $0.procName ?? $0.name.lowercased() }
                                                .joined(separator: " "))))
        rows.append(ReportRow(key: "hidden_features", label: "hidden features",
                              value: .shown(.number(hidden), as: "\(hidden) set but without a /proc/cpuinfo name")))
        rows.append(procComparisonRow(context))
        return ReportSection(key: "linux", title: "Linux view", rows: rows)
    }

    /// How the model's flags compare with this machine's /proc/cpuinfo (`vcpuid flags --compare` in one line).
    static func procComparisonRow(_ context: ReportContext) -> ReportRow {
        let label = "vs /proc/cpuinfo"
        let key = "proc_cpuinfo"
        guard context.isLive else {
            return ReportRow(key: key, label: label, value: .shown(.none, as: "not applicable to a dump"))
        }
        let info: ProcCPUInfo
        switch Result(catching: { () throws(SystemFileError) in String(decoding: try SystemFile.read("/proc/cpuinfo", limit: 64 << 20), as: UTF8.self) }) {
        case let .failure(error):
            return ReportRow(key: key, label: label, value: .shown(.none, as: "not compared: \(error)"))
        case let .success(text):
            do {
                info = try ProcCPUInfo.parse(text, name: "/proc/cpuinfo")
            } catch {
                return ReportRow(key: key, label: label, value: .shown(.none, as: "not compared: \(error)"))
            }
        }
        guard let processor = info.processors.first(where: { $0.number == context.cpuNumber }) else {
            return ReportRow(key: key, label: label,
                             value: .shown(.none, as: "not compared: /proc/cpuinfo has no processor \(context.cpuNumber)"))
        }
        let comparison = FlagComparison(view: context.linux, procFlags: processor.flags, procBugs: processor.bugs)
        let differences = comparison.differences.count
        let unexplained = comparison.unexplained.count
        let text: String
        if differences == 0 {
            text = "agree (\(comparison.matching) names)"
        } else if unexplained == 0 {
            text = "\(differences) difference\(differences == 1 ? "" : "s"), all explained (set from outside CPUID; see vcpuid flags --compare /proc/cpuinfo)"
        } else {
            text = "\(differences) difference\(differences == 1 ? "" : "s"), \(unexplained) unexplained: "
                + comparison.unexplained.map(\.name).joined(separator: " ")
        }
        let json: ReportValue = .object([
            ("processor", .number(processor.number)),
            ("matching", .number(comparison.matching)),
            ("differences", .number(differences)),
            ("explained", .list(comparison.differences.filter(\.isExplained).map { .text($0.name) })),
            ("unexplained", .list(comparison.unexplained.map { .text($0.name) })),
        ])
        return ReportRow(key: key, label: label, value: .shown(json, as: text))
    }

    /// One line: SGX absent (with the bit that says so), or which SGX parts are there and AEX-Notify's verdict.
    static func sgxSection(_ context: ReportContext) -> ReportSection {
        let source: SGXViewSource = context.isLive
            ? .liveCPU(kernel: context.kernelRelease.flatMap { KernelVersion($0) }) : .dump
        let report = SGXCapabilityReport(context.snapshot, source: source)
        let view = report.enumeration
        var rows: [ReportRow] = []
        let text: String
        if !report.sgxAvailable {
            let failed = report.sgxReasons.first { $0.status == .fails }
            text = "absent — " + (failed?.evidence ?? "\(SGXEnumeration.sgxField) = 0")
        } else {
            var parts = SGXEnumeration.capabilityBits
                .filter { view.capabilities & (1 << UInt32($0.bit)) != 0 }
                .map(\.name)
            if view.launchControl { parts.insert("SGX_LC", at: 0) }
            let verdict = report.aexNotify.usable
                ? (report.aexNotify.unknown.isEmpty ? "AEX-Notify usable" : "AEX-Notify usable as far as this view tells")
                : "AEX-Notify not usable (" + report.aexNotify.failing.map(\.requirement).joined(separator: "; ") + ")"
            text = parts.joined(separator: " ") + ", " + verdict
        }
        let json: ReportValue = .object([
            ("text", .text(text)),
            ("available", .flag(report.sgxAvailable)),
            ("capabilities", .list(SGXEnumeration.capabilityBits.filter { view.capabilities & (1 << UInt32($0.bit)) != 0 }.map { .text($0.name) })),
            ("aex_notify_usable", .flag(report.aexNotify.usable)),
        ])
        rows.append(ReportRow(key: "summary", label: "SGX", value: .shown(json, as: text)))
        return ReportSection(key: "sgx", title: "SGX", rows: rows)
    }
}
