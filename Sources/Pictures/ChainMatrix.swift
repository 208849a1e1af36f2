import CPUID
import Fleet
import KVM
import X86Features

/// The chain matrix: one row per named CPUID feature bit, one column per stage. It only reads the
/// answers the other modules computed (the Linux derivation, KVM's table and the model's rules, the guest
/// composition and its verification); it decides nothing about the bits itself.
public struct ChainMatrix: Sendable {
    public var columns: [ChainColumn]
    public var rows: [ChainRow]

    public init(columns: [ChainColumn], rows: [ChainRow]) {
        self.columns = columns
        self.rows = rows
    }

    /// Builds the matrix from the stages' results; a stage that is nil is left out, a `.notRun` one is drawn
    /// with its reason in every cell.
    public init(_ inputs: ChainInputs, bits: FeatureBits = .shared) {
        var columns = [ChainColumn(stage: .cpu, title: "CPU", detail: inputs.cpuName)]
        columns.append(ChainColumn(stage: .linux, title: "Linux \(inputs.linux.kernel.version)",
                                   detail: "the kernel's view (capability words, dependencies)"))
        switch inputs.kvmLive {
        case let .ran(live)?: columns.append(ChainColumn(stage: .kvmLive, title: "KVM offer (live)", detail: live.1))
        case let .notRun(why)?: columns.append(ChainColumn(stage: .kvmLive, title: "KVM offer (live)", detail: "not run: \(why)"))
        case nil: break
        }
        if let model = inputs.kvmModel {
            columns.append(ChainColumn(stage: .kvmModel, title: "KVM model \(model.kernel.version)",
                                       detail: "vcpuid's model, \(model.module.module.rawValue)"))
        }
        if let guest = inputs.guest {
            columns.append(ChainColumn(stage: .guestTable, title: "guest table", detail: guest.base.name
                + (guest.steps.isEmpty ? "" : " + " + guest.steps.map(\.edit).joined(separator: " "))))
        }
        switch inputs.guestSeen {
        case let .ran(verification)?:
            columns.append(ChainColumn(stage: .guestSeen, title: "guest seen",
                                       detail: "CPUID run inside a KVM guest (\(verification.probe.exits) exits)"))
        case let .notRun(why)?: columns.append(ChainColumn(stage: .guestSeen, title: "guest seen", detail: "not run: \(why)"))
        case nil: break
        }
        self.columns = columns
        rows = bits.all.map { Self.row(for: $0, inputs) }
    }

    /// One feature's cells, each stage compared with the one before it.
    static func row(for bit: FeatureBit, _ inputs: ChainInputs) -> ChainRow {
        let field = bit.field
        var cells: [ChainCell] = []
        let cpu = inputs.cpu.isSet(field)
        cells.append(ChainCell(cpu ? .present : .absent))

        // Linux: the derivation's own verdict and explanation.
        let linuxSet: Bool
        if let feature = FeatureCatalogue.shared.lookup(bit.macro) {
            linuxSet = inputs.linux.has(feature)
            cells.append(step(from: cpu, to: linuxSet) { inputs.linux.reason(for: feature).description })
        } else {
            linuxSet = false
            cells.append(step(from: cpu, to: false) { "Linux \(inputs.linux.kernel.version) does not name \(bit.macro)" })
        }

        // KVM: what the live module offers, and what the model predicts (with its rule).
        var previous = linuxSet
        let modelSet = inputs.kvmModel?.snapshot.isSet(field)
        // `kvm explain`'s verdict costs a scan of every KVM profile: asked only for cells that show a reason.
        func modelReason() -> String? { inputs.kvmModel.map { Self.modelReason($0, bit: bit) } }
        switch inputs.kvmLive {
        case let .ran(offer)?:
            let live = offer.0.isSet(field)
            if let modelSet, modelSet != live {
                cells.append(ChainCell(.mismatch, "KVM_GET_SUPPORTED_CPUID \(live ? "offers" : "does not offer") it; "
                    + "the model says: \(modelReason() ?? "")"))
            } else {
                cells.append(step(from: previous, to: live) { modelReason() ?? "KVM_GET_SUPPORTED_CPUID" })
            }
            previous = live
        case let .notRun(why)?:
            cells.append(ChainCell(.notRun, why))
        case nil: break
        }
        if let modelSet {
            if case .ran? = inputs.kvmLive {
                cells.append(ChainCell(modelSet ? .present : .absent))
            } else {
                cells.append(step(from: previous, to: modelSet) { modelReason() ?? "" })
                previous = modelSet
            }
        }

        // The guest table: the composition's base, then the policy's edits.
        if let guest = inputs.guest {
            let base = guest.base.snapshot.isSet(field)
            let table = guest.table.isSet(field)
            if base != table {
                let edits = guest.steps.map(\.edit).joined(separator: " ")
                let named = guest.enabledFeatures.contains { $0.field == field } ? "enabled by the guest policy"
                    : guest.disabledFeatures.contains { $0.field == field } ? "disabled by the guest policy"
                    : "changed by the guest policy"
                cells.append(ChainCell(table ? .changed : .cleared, "\(named) (\(edits))"))
            } else if table != previous {
                cells.append(ChainCell(table ? .changed : .cleared, table
                    ? "the base (\(guest.base.name)) has it"
                    : guest.base.reasonAbsent(field)))
            } else {
                cells.append(ChainCell(table ? .present : .absent))
            }
            previous = table
        }

        // What the guest saw: equal to its table, or changed by KVM, or a real mismatch.
        switch inputs.guestSeen {
        case let .ran(verification)?:
            let seen = verification.probe.guestView.isSet(field)
            let key = LeafKey(field.leaf, field.subleaf)
            let mask = UInt32(1) << UInt32(field.low)
            let finding = verification.probe.comparison.tableFindings.first { $0.target.key == key }
            if seen == previous {
                cells.append(ChainCell(seen ? .present : .absent))
            } else if finding?.mismatches.contains(where: { $0.register == field.register && $0.bits & mask != 0 }) == true {
                cells.append(ChainCell(.mismatch, "the guest saw \(seen ? 1 : 0), its table has \(previous ? 1 : 0)"))
            } else if finding?.changedByKVM.contains(where: { $0.register == field.register && $0.bits & mask != 0 }) == true {
                cells.append(ChainCell(seen ? .changed : .cleared, "KVM changed it when it took the table (KVM_GET_CPUID2 shows it)"))
            } else {
                cells.append(ChainCell(seen ? .changed : .cleared, "a run-time field: KVM fills it in while the guest runs"))
            }
        case let .notRun(why)?:
            cells.append(ChainCell(.notRun, why))
        case nil: break
        }
        return ChainRow(field: field, macro: bit.macro, linuxName: bit.linuxName, qemuName: bit.qemuName, cells: cells)
    }

    /// The state of a stage given the one before it.
    static func step(from before: Bool, to after: Bool, reason: () -> String) -> ChainCell {
        switch (before, after) {
        case (true, true): ChainCell(.present)
        case (false, false): ChainCell(.absent)
        case (true, false): ChainCell(.cleared, reason())
        case (false, true): ChainCell(.changed, reason())
        }
    }

    /// The model's verdict for the bit: `kvm explain`'s summary, else the rule that decided it.
    static func modelReason(_ prediction: SupportedPrediction, bit: FeatureBit) -> String {
        if let verdict = prediction.explain(bit.macro), verdict.field == bit.field { return verdict.summary }
        if let rule = prediction.rule(for: bit.field) { return rule.summary }
        return "the predicted table has no \(LeafKey(bit.field.leaf, bit.field.subleaf)) entry"
    }
}

/// What the matrix is drawn from: each stage's result as its module computed it.
public struct ChainInputs: Sendable {
    /// A stage that may not have been run here.
    public enum Stage<Value: Sendable>: Sendable {
        case ran(Value)
        case notRun(String)
    }

    public var cpu: Snapshot
    public var cpuName: String
    public var linux: LinuxView
    /// KVM_GET_SUPPORTED_CPUID of this machine and how it was read; nil for a dump.
    public var kvmLive: Stage<(Snapshot, String)>?
    public var kvmModel: SupportedPrediction?
    public var guest: GuestComposition?
    /// The guest probe's result; `.notRun` for a dump or a machine without /dev/kvm.
    public var guestSeen: Stage<GuestVerification>?

    public init(cpu: Snapshot, cpuName: String, linux: LinuxView, kvmLive: Stage<(Snapshot, String)>? = nil,
                kvmModel: SupportedPrediction? = nil, guest: GuestComposition? = nil,
                guestSeen: Stage<GuestVerification>? = nil) {
        self.cpu = cpu
        self.cpuName = cpuName
        self.linux = linux
        self.kvmLive = kvmLive
        self.kvmModel = kvmModel
        self.guest = guest
        self.guestSeen = guestSeen
    }
}
