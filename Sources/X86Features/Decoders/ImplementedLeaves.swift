import CPUID

/// Which leaves a CPU really implements: basic leaves up to leaf 0 EAX, extended leaves up to
/// 0x80000000 EAX, hypervisor leaves only under a hypervisor. Entries beyond these are not answers.
public struct ImplementedLeaves: Sendable {
    private let snapshot: Snapshot
    private let maxBasic: UInt32?
    private let maxExtended: UInt32?
    private let underHypervisor: Bool

    /// Reads the range maxima once, for callers that ask about many leaves of one CPU.
    public init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        maxBasic = snapshot.entry(0) != nil ? snapshot.maxBasicLeaf : nil
        maxExtended = snapshot.entry(0x8000_0000) != nil ? snapshot.maxExtendedLeaf : nil
        underHypervisor = snapshot.isSet(CPUIDField(1, 0, .ecx, bit: 31))
    }

    public func contains(_ leaf: UInt32) -> Bool {
        switch leaf {
        case 0..<0x4000_0000:
            return maxBasic.map { leaf <= $0 } ?? false
        case 0x4000_0000..<0x5000_0000:
            guard underHypervisor else { return false }
            if leaf & 0xff == 0 { return snapshot.entry(leaf) != nil }
            return leaf <= snapshot.value(leaf & 0xffff_ff00, 0, .eax)
        case 0x8000_0000..<0x9000_0000:
            return maxExtended.map { leaf <= $0 } ?? false
        default:
            return false
        }
    }

    /// The same answer for one leaf, reading only the range that leaf belongs to.
    public static func contains(_ leaf: UInt32, in snapshot: Snapshot) -> Bool {
        switch leaf {
        case 0..<0x4000_0000:
            return snapshot.entry(0) != nil && leaf <= snapshot.maxBasicLeaf
        case 0x8000_0000..<0x9000_0000:
            return snapshot.entry(0x8000_0000) != nil && leaf <= snapshot.maxExtendedLeaf
        default:
            return ImplementedLeaves(snapshot).contains(leaf)
        }
    }
}
