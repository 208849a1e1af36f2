import CPUID
import X86Features

/// What happens to each feature MSR of a guest table when it meets KVM: written with KVM_SET_MSRS or left
/// out because KVM would refuse it (predicted from the release's rules and the module's table edits,
/// before KVM is asked), and whether the guest's RDMSR will return it or take #GP.
public struct GuestMSRPlan: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var msr: MSR
        /// The policy set or changed it (rather than carrying the base's value).
        public var requested: Bool
        /// KVM's predicted refusal of the write; nil when KVM takes it.
        public var refusal: KVMMSRRefusal?
        public var guestRead: KVMGuestMSRRead
    }

    public var items: [Item]
    public var kernel: KernelVersion
    public var module: KVMModuleOptions.Module

    /// `named`: MSRs the policy named (a value equal to the base's still counts as asked for).
    public init(composition: GuestComposition, kernel: KernelVersion, module: KVMModuleOptions.Module,
                named: Set<UInt32> = []) {
        self.kernel = kernel
        self.module = module
        let base = composition.base.snapshot
        let table = composition.table
        let advertised = base.msrs.isEmpty ? nil : Set(base.msrs.map(\.index))
        items = table.msrs.compactMap { msr in
            guard let value = msr.value.bits else { return nil }
            let requested = named.contains(msr.index) || base.msr(msr.index) != msr.value
            let refusal = KVMMSRWriteRules.refusal(msr: msr.index, value: value, guestCPUID: table, kernel: kernel,
                                                   module: module, supported: base.msr(msr.index)?.bits,
                                                   advertised: advertised)
            return Item(msr: msr, requested: requested, refusal: refusal,
                        guestRead: KVMMSRWriteRules.guestRead(msr: msr.index, guestCPUID: table, module: module))
        }
    }

    /// The MSRs to write: every one KVM is predicted to take.
    public var writes: [MSR] { items.filter { $0.refusal == nil }.map(\.msr) }

    /// The MSRs the guest reads: all of them, refused or not (a refused one shows what the guest gets instead).
    public var reads: [UInt32] { items.map(\.msr.index) }

    /// Refusals of MSRs the policy asked for: the table cannot reach the guest as set.
    public var requestedRefusals: [Item] { items.filter { $0.requested && $0.refusal != nil } }
}

extension GuestPolicy {
    /// The feature MSRs the edits name: `--set msr.…`, MSR bits in `--enable/--disable`, template msr_modifiers.
    public var namedMSRs: Set<UInt32> {
        var named: Set<UInt32> = []
        for edit in edits {
            switch edit {
            case let .setMSR(assignment): named.insert(assignment.msr)
            case let .enable(names), let .disable(names):
                for name in names { if let bit = FeatureMSRBits.lookup(name) { named.insert(bit.msr) } }
            case let .template(template, _): named.formUnion(template.msrModifiers.map(\.address))
            case .set: break
            }
        }
        return named
    }
}
