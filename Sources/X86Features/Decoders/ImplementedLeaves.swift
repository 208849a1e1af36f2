import CPUID

/// Which leaves a CPU really implements: basic leaves up to leaf 0 EAX, extended leaves up to
/// 0x80000000 EAX, hypervisor leaves only under a hypervisor. Entries beyond these are not answers.
public enum ImplementedLeaves {
    public static func contains(_ leaf: UInt32, in snapshot: Snapshot) -> Bool {
        switch leaf {
        case 0..<0x4000_0000:
            return snapshot.entry(0) != nil && leaf <= snapshot.maxBasicLeaf
        case 0x4000_0000..<0x5000_0000:
            guard snapshot.isSet(CPUIDField(1, 0, .ecx, bit: 31)) else { return false }
            let max = snapshot.value(leaf & 0xffff_ff00, 0, .eax)
            return leaf & 0xff == 0 ? snapshot.entry(leaf) != nil : leaf <= max
        case 0x8000_0000..<0x9000_0000:
            return snapshot.entry(0x8000_0000) != nil && leaf <= snapshot.maxExtendedLeaf
        default:
            return false
        }
    }
}
