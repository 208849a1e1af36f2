import CPUID
import X86Features

/// "Will QEMU start this here?": a `-cpu` line expanded into QEMU's feature bits and judged against an
/// accelerator's offer the way QEMU 7.2 does it (x86_cpu_expand_features, x86_cpu_filter_features,
/// kvm_init_msrs), with each outcome in QEMU's own words and the rule behind it.
public struct QEMUStartCheck: Sendable {
    /// A feature QEMU drops with a warning (`mark_unavailable_features`).
    public struct Warning: Hashable, Sendable {
        public var bit: QEMUFeatureBit
        public var accelerator: QEMUAcceleratorOffer.Accelerator

        /// `warning: host doesn't support requested feature: CPUID.07H:EBX.hle [bit 4]`
        public func text(_ spelling: QEMUFeatureWord.Spelling) -> String {
            let who = accelerator == .kvm ? "host" : "TCG"
            return "warning: \(who) doesn't support requested feature: \(bit.warningText(spelling))"
        }
    }

    /// Why QEMU will not start.
    public enum Failure: Hashable, Sendable, CustomStringConvertible {
        case unknownModel(String)
        case unknownProperty(String)
        case badValue(property: String, value: String)
        /// `enforce` turns the warnings into an error.
        case enforced(count: Int, accelerator: QEMUAcceleratorOffer.Accelerator)
        /// kvm_init_msrs' KVM_SET_MSRS came back short: QEMU prints the MSR and aborts.
        case msrRefused(KVMMSRRefusal)

        /// What QEMU prints.
        public var qemuMessage: String {
            switch self {
            case let .unknownModel(name): "unable to find CPU model '\(name)'"
            case let .unknownProperty(name): "can't apply global property: Property '.\(name)' not found"
            case let .badValue(property, value): "Parameter '\(property)' expects a different value than '\(value)'"
            case let .enforced(_, accelerator):
                accelerator == .kvm ? "Host doesn't support requested features" : "TCG doesn't support requested features"
            case let .msrRefused(refusal):
                "error: failed to set MSR 0x\(String(refusal.msr, radix: 16)) to 0x\(String(refusal.value, radix: 16)) "
                    + "(then kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed, abort)"
            }
        }

        /// The rule behind it.
        public var rule: String {
            switch self {
            case .unknownModel: "QEMU has no such CPU model (vcpuid qemu models lists them)"
            case .unknownProperty: "not a feature or property of QEMU's x86 CPU (x86_cpu_parse_featurestr)"
            case .badValue: "QEMU's property parser rejects the value"
            case let .enforced(count, _): "enforce makes the \(count) filtered feature(s) an error (x86_cpu_realizefn)"
            case let .msrRefused(refusal):
                "kvm_init_msrs writes \(FeatureMSRNames.name(of: refusal.msr)) = QEMU's feature word after filtering; \(refusal.rule)"
            }
        }

        public var description: String { "\(qemuMessage): \(rule)" }
    }

    /// One feature MSR QEMU writes into every vCPU before it runs.
    public struct MSRWrite: Hashable, Sendable {
        public var msr: UInt32
        public var value: UInt64
    }

    public var spec: QEMUCPUSpec
    public var offer: QEMUAcceleratorOffer
    /// The bits the line asks for, after the model, properties and +/- edits.
    public var requested: Set<QEMUFeatureBit>
    /// The bits the guest gets (requested minus filtered).
    public var granted: Set<QEMUFeatureBit>
    public var warnings: [Warning]
    public var failures: [Failure]
    public var msrWrites: [MSRWrite]
    /// Names QEMU will take but vcpuid cannot place (a newer QEMU's features).
    public var notes: [String]

    public var starts: Bool { failures.isEmpty }

    /// Whether `bit` is one of QEMU's `unmigratable_flags` (`-cpu host` leaves it out while migratable=on).
    static func isUnmigratable(_ bit: QEMUFeatureBit) -> Bool { bit.name == "invtsc" }

    public init(spec: QEMUCPUSpec, models: QEMUModelTable, offer: QEMUAcceleratorOffer) {
        self.spec = spec
        self.offer = offer
        var failures: [Failure] = []
        var notes: [String] = []
        var bits: Set<QEMUFeatureBit> = []
        var enforce = false
        var check = true
        var pmu = false
        var migratable = true
        if spec.isHostModel {
            bits = offer.supportedBits()
        } else if let model = models.model(named: spec.model) {
            bits = model.featureBits
            if !model.unknownFeatures.isEmpty {
                notes.append("\(model.name) also has \(model.unknownFeatures.joined(separator: ", ")), which vcpuid cannot place")
            }
        } else {
            failures.append(.unknownModel(spec.model))
        }
        let identity: Set<String> = ["level", "xlevel", "xlevel2", "min-level", "min-xlevel", "family", "model",
                                     "stepping", "vendor", "model-id", "phys-bits", "tsc-frequency", "tsc-freq",
                                     "hv-spinlocks", "hv-vendor-id", "ucode-rev", "host-phys-bits-limit", "lbr-fmt",
                                     "level-func7", "apic-id", "hv-version-id-build"]
        for property in spec.properties {
            let name = QEMUFeatureWords.canonicalName(property.name)
            let found = QEMUFeatureWords.bits(named: name)
            if !found.isEmpty {
                guard let on = QEMUCPUSpec.bool(property.value) else {
                    failures.append(.badValue(property: property.name, value: property.value))
                    continue
                }
                if on { bits.formUnion(found) } else { bits.subtract(found) }
            } else if identity.contains(property.name) || identity.contains(name) {
                continue
            } else if QEMUCPUModel.isSetting(name) {
                let on = QEMUCPUSpec.bool(property.value)
                switch name {
                case "enforce": enforce = on ?? enforce
                case "check": check = on ?? check
                case "pmu": pmu = on ?? pmu
                case "migratable": migratable = on ?? migratable
                default: break
                }
            } else {
                failures.append(.unknownProperty(property.name))
            }
        }
        for name in spec.plus + spec.minus where QEMUFeatureWords.bits(named: name).isEmpty && !QEMUCPUModel.isSetting(name) {
            failures.append(.unknownProperty(name))
        }
        for name in spec.plus { bits.formUnion(QEMUFeatureWords.bits(named: name)) }
        for name in spec.minus { bits.subtract(QEMUFeatureWords.bits(named: name)) }
        if spec.isHostModel && migratable { bits = bits.filter { !Self.isUnmigratable($0) } }
        // feature_dependencies: a word whose enabling CPUID bit is off is emptied before filtering.
        for dependency in QEMUFeatureDependency.all {
            guard let from = QEMUFeatureWords.bit(named: dependency.from), !bits.contains(from) else { continue }
            bits = bits.filter { !dependency.covers($0) }
        }
        bits = QEMUXSaveComponents.withComponents(bits)
        requested = bits

        // x86_cpu_filter_features: word by word, bit by bit, in QEMU's order.
        var warnings: [Warning] = []
        for index in QEMUFeatureWords.all.indices {
            let supported = offer.supportedBits(word: index)
            for bit in bits.filter({ $0.word == index }).sorted() where supported & (1 << UInt64(bit.bit)) == 0 {
                warnings.append(Warning(bit: bit, accelerator: offer.accelerator))
            }
        }
        let filtered = Set(warnings.map(\.bit))
        granted = bits.subtracting(filtered)
        self.warnings = check || enforce ? warnings : []
        if enforce && !warnings.isEmpty { failures.append(.enforced(count: warnings.count, accelerator: offer.accelerator)) }

        // kvm_init_msrs: the feature MSRs QEMU writes, each the filtered feature word's value.
        var writes: [MSRWrite] = []
        if offer.accelerator == .kvm {
            let listed = offer.featureMSRs
            for (index, word) in QEMUFeatureWords.all.enumerated() {
                guard case let .msr(msr) = word.location, listed[msr] != nil else { continue }
                guard msr == 0x10A || msr == 0xCF || (msr == 0x345 && pmu) else { continue }
                let value = granted.filter { $0.word == index }.reduce(UInt64(0)) { $0 | (1 << UInt64($1.bit)) }
                writes.append(MSRWrite(msr: msr, value: value))
            }
        }
        msrWrites = writes
        if failures.isEmpty, offer.accelerator == .kvm {
            let table = Self.guestTable(granted)
            for write in writes {
                if let refusal = Self.msrRefusal(write, guestCPUID: table, offer: offer) {
                    failures.append(.msrRefused(refusal))
                    break  // QEMU aborts at the first
                }
            }
        }
        self.failures = failures
        self.notes = notes
    }

    /// The CPUID registers QEMU's feature words fill, as a table (what KVM_SET_CPUID2 receives for them).
    static func guestTable(_ bits: Set<QEMUFeatureBit>) -> Snapshot {
        var table = Snapshot()
        for bit in bits {
            guard let field = bit.featureWord.field(bit: bit.bit) else { continue }
            table.set(field.leaf, field.subleaf, field.register, to: table.value(field.leaf, field.subleaf, field.register) | field.mask)
        }
        return table
    }

    /// The one place QEMU's MSR writes meet KVM's rules (KVM/Model/KVMMSRWriteRules).
    static func msrRefusal(_ write: MSRWrite, guestCPUID: Snapshot, offer: QEMUAcceleratorOffer) -> KVMMSRRefusal? {
        KVMMSRWriteRules.refusal(msr: write.msr, value: write.value, guestCPUID: guestCPUID, kernel: offer.kernel,
                                 module: offer.module, supported: offer.featureMSRs[write.msr],
                                 advertised: Set(offer.featureMSRs.keys))
    }
}
