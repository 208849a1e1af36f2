import CPUID
import X86Features

/// One feature MSR of a verified guest: what the table asked, what KVM stored, what the guest's RDMSR gave,
/// and whether that is what the rules predict.
public struct GuestMSRFinding: Hashable, Sendable {
    public enum Verdict: Hashable, Sendable {
        /// The guest read the value the table set.
        case asSet
        /// The guest's RDMSR took #GP, as KVM's rule for the guest table says it must.
        case faultedAsPredicted(rule: String)
        /// Left out of KVM_SET_MSRS because KVM would refuse it; the guest's read is as predicted for that.
        case refusedAsPredicted(rule: String)
        /// Something no rule explains.
        case mismatch(String)
    }

    public var item: GuestMSRPlan.Item
    /// KVM_GET_MSRS on the vCPU after the write; nil when it was not written.
    public var readBack: UInt64?
    public var guest: MSRValue
    public var verdict: Verdict

    public var isMismatch: Bool { if case .mismatch = verdict { return true }; return false }

    init(item: GuestMSRPlan.Item, readBack: UInt64?, guest: MSRValue) {
        self.item = item
        self.readBack = readBack
        self.guest = guest
        let asked = item.msr.value.bits ?? 0
        if let refusal = item.refusal {
            switch (item.guestRead, guest) {
            case (.faults, .faulted), (.value, .value):
                verdict = .refusedAsPredicted(rule: refusal.rule)
            case (.faults, .value(let bits)):
                verdict = .mismatch("KVM's rules say the guest's RDMSR takes #GP, but it read \(Hex.quad(bits))")
            case (.value, .faulted):
                verdict = .mismatch("the guest's RDMSR took #GP, which no rule predicts")
            }
            return
        }
        if let readBack, readBack != asked {
            verdict = .mismatch("KVM_SET_MSRS took \(Hex.quad(asked)), but KVM_GET_MSRS reads back \(Hex.quad(readBack))")
            return
        }
        switch (item.guestRead, guest) {
        case let (.value, .value(bits)):
            verdict = bits == asked ? .asSet : .mismatch("the guest read \(Hex.quad(bits)), not \(Hex.quad(asked))")
        case let (.faults(rule), .faulted):
            verdict = .faultedAsPredicted(rule: rule)
        case (.value, .faulted):
            verdict = .mismatch("the guest's RDMSR took #GP, which no rule predicts")
        case let (.faults, .value(bits)):
            verdict = .mismatch("KVM's rules say the guest's RDMSR takes #GP, but it read \(Hex.quad(bits))")
        }
    }
}
