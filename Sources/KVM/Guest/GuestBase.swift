import CPUID

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
    /// Why a bit of the base is what it is, when the source knows (a prediction's rule per bit).
    public var reasons: [CPUIDField: String]

    public init(kind: Kind, snapshot: Snapshot, name: String, reasons: [CPUIDField: String] = [:]) {
        self.kind = kind
        self.snapshot = snapshot
        self.name = name
        self.reasons = reasons
    }

    /// Why the base lacks `field`: the recorded reason, or the plain fact of where it reads zero.
    public func reasonAbsent(_ field: CPUIDField) -> String {
        if let reason = reasons[field] { return reason }
        if snapshot.entry(field.leaf, field.subleaf) == nil && snapshot.registers(field.leaf, field.subleaf) == nil {
            return "\(name) has no entry \(LeafKey(field.leaf, field.subleaf))"
        }
        return "\(field) is 0 in \(name)"
    }
}
