import CPUID
import X86Features

/// The table a guest policy starts from, and what it is, so that a refusal can name it.
public struct GuestBase: Sendable {
    /// Where the base came from.
    public enum Kind: String, Hashable, Sendable {
        /// KVM_GET_SUPPORTED_CPUID of this machine's /dev/kvm: what KVM can really give a guest here.
        case live
        /// The supported table vcpuid predicts for a kernel version.
        case predicted
        /// The host's own CPUID: more than KVM offers, useful to see what a passthrough would ask for.
        case host
        /// A dump file.
        case file
    }

    public var kind: Kind
    public var snapshot: Snapshot
    /// How messages name the base, e.g. `KVM_GET_SUPPORTED_CPUID (live, kvm_pvm)`.
    public var name: String
    /// Why a bit of the base is 0, when the source can tell (the supported-CPUID model's rule for the bit).
    public var explanation: (@Sendable (CPUIDField) -> String?)?
    /// Why a feature-MSR bit of the base is 0 (the feature-MSR model's rule), when the source can tell.
    public var msrExplanation: (@Sendable (UInt32, Int) -> String?)?
    /// What the source had to assume (a prediction's notes), for the user to read.
    public var notes: [String]

    public init(kind: Kind, snapshot: Snapshot, name: String, notes: [String] = [],
                explanation: (@Sendable (CPUIDField) -> String?)? = nil) {
        self.kind = kind
        self.snapshot = snapshot
        self.name = name
        self.notes = notes
        self.explanation = explanation
    }

    /// Why the base lacks `field`: where it reads zero, and the rule behind it when the source knows one.
    public func reasonAbsent(_ field: CPUIDField) -> String {
        let fact = snapshot.entry(field.leaf, field.subleaf) == nil && snapshot.registers(field.leaf, field.subleaf) == nil
            ? "\(name) has no entry \(LeafKey(field.leaf, field.subleaf))"
            : "\(field) is 0 in \(name)"
        guard let why = explanation?(field) else { return fact }
        return "\(fact); \(why)"
    }

    /// Why the base lacks bit `bit` of feature MSR `msr`.
    public func reasonAbsent(msr: UInt32, bit: Int) -> String {
        let label = FeatureMSRBits.bit(msr, covering: bit).map { "\($0.label) (\($0.citation))" }
            ?? "MSR 0x\(String(msr, radix: 16, uppercase: true)) bit \(bit)"
        let fact = "\(label) is 0 in \(name)"
        guard let why = msrExplanation?(msr, bit) else { return fact }
        return "\(fact); \(why)"
    }
}
