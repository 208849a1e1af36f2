import ArgumentParser
import CPUID
import KVM
import Pictures
import SGX
import X86Features

/// `vcpuid report --html FILE [DUMP|live]`: gathers each stage's result from its library (the Linux
/// derivation, KVM's live table and the model, the guest composition and, live, its verification) and hands
/// them to `Pictures.ChainReport`. Nothing is derived here.
extension ReportCommand {
    func writeHTML(to path: String) throws {
        let live = input.file == nil || input.file == "live"
        let resolution = htmlOptions.kernelOptions.resolve(live: live)
        KernelOptions.announce(resolution)
        let kernel = resolution.profile
        let policy = try htmlOptions.policy()

        let snapshot: Snapshot
        let read: String
        var notes: [String] = []
        var inputs: ChainInputs
        let boot: BootOptions
        if live {
            let cpu = input.cpu ?? 0
            snapshot = try LiveCPU.snapshot(cpu: cpu, source: input.source)
            var liveInput = input
            liveInput.file = nil
            read = "\(liveInput.sourceDescription), CPU \(cpu)"
            boot = HostSystem.bootOptions()
        } else {
            let file = input.file!
            let dump = try input.readDump(file)
            let chosen = input.cpu ?? dump.cpus.first?.number ?? 0
            snapshot = try dump.logicalCPU(chosen, in: file).snapshot
            read = "\(input.sourceDescription) (\(Self.formatName(dump.origin))), CPU \(chosen) of \(dump.cpus.count)"
            boot = .none
        }
        let linux = LinuxDerivation.derive(snapshot, kernel: kernel, options: boot)
        let loaded = live ? KVMModuleInfo.detect() : nil
        let module = KVMModuleOptions.guess(for: snapshot, loaded: loaded)
        let model = KVMSupportedModel.predict(host: snapshot, kernel: kernel, module: module, bootOptions: boot)
        notes += model.notes
        inputs = ChainInputs(cpu: snapshot, cpuName: read, linux: linux, kvmModel: model)

        let predictedBase = GuestBase.predicted(host: snapshot, hostName: live ? "this machine" : input.sourceDescription,
                                                kernel: kernel, module: module)
        var base = predictedBase
        if live {
            switch Result(catching: { () throws(KVMError) in try GuestBase.live(module: loaded ?? .detect()) }) {
            case let .success(liveBase):
                inputs.kvmLive = .ran((liveBase.snapshot, liveBase.name))
                base = liveBase.explainedByModel(host: { snapshot }, kernel: kernel, module: module)
            case let .failure(error):
                inputs.kvmLive = .notRun("\(error)")
            }
        }
        // The kernel's own table names most features; the full catalogue is built only when a name needs it.
        let quick = GuestFeatureTable(kernelOnly: kernel)
        let named = policy.edits.flatMap { edit -> [String] in
            switch edit {
            case let .enable(list), let .disable(list): list
            case .set, .setMSR, .template: []
            }
        }
        let directory = named.allSatisfy { quick.feature(named: $0) != nil } ? quick : GuestFeatureTable(kernel: kernel)
        let composition = try GuestTableComposer(directory: directory).compose(policy, on: base)
        notes += composition.warnings.map { "guest: \($0)" }
        inputs.guest = composition
        if live, base.kind == .live {
            do {
                inputs.guestSeen = .ran(try GuestVerification.run(composition))
            } catch {
                inputs.guestSeen = .notRun("the guest could not run: \(error)")
            }
        } else {
            inputs.guestSeen = .notRun(live ? "no usable /dev/kvm" : "a dump: no guest runs it (use live on a KVM host)")
        }

        let profileText = resolution.isExact ? "Linux \(kernel.version)"
            : "Linux \(kernel.version) (for \(resolution.requested))"
        let header = ReportHeader.standard(read: read, kernel: profileText + (htmlOptions.kernelOptions.kernel == nil
            ? (live ? ", the running kernel" : ", the newest carried (a dump does not say which kernel runs it)") : ""),
            extra: [("KVM module", "\(module.module.rawValue)\(live ? "" : " (modelled for this CPU's vendor)")")])
        let sgxSource: SGXViewSource = live ? .liveCPU(kernel: HostSystem.kernelRelease().flatMap { KernelVersion($0) }) : .dump
        let report = ChainReport(header: header, matrix: ChainMatrix(inputs),
                                 sgx: SGXSection(SGXCapabilityReport(snapshot, source: sgxSource)), notes: notes)
        try HTMLFile.write(report.html(), to: path)
    }
}
