import CPUID

/// The identity facts the kernel's vendor code branches on, read once from a snapshot.
struct CPUFacts: Sendable {
    let snapshot: Snapshot
    let vendor: CPUVendor
    let vendorString: String
    let family: UInt32
    let model: UInt32
    let stepping: UInt32
    /// cpuid_level: leaf 0 EAX.
    let maxBasic: UInt32
    /// extended_cpuid_level: 0x80000000 EAX when it lies in 0x8000xxxx, else 0.
    let maxExtended: UInt32

    init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        vendorString = snapshot.vendor
        vendor = CPUVendor(snapshot)
        let signature = snapshot.signature
        family = signature.family
        model = signature.model
        stepping = signature.stepping
        maxBasic = snapshot.maxBasicLeaf
        maxExtended = snapshot.maxExtendedLeaf
    }

    var isAMDLike: Bool { vendor.followsAMD }

    /// The highest leaf of the range `leaf` belongs to, as scattered.c's guard reads it (`leaf & 0xffff0000`).
    func rangeMax(for leaf: UInt32) -> UInt32 { snapshot.value(leaf & 0xffff_0000, 0, .eax) }

    /// scattered.c's guard on a range maximum: it must reach `leaf` and stay within `leaf | 0xffff`
    /// (a larger value means the range is not implemented and leaf EAX holds something else).
    static func rangeMax(_ max: UInt32, reaches leaf: UInt32) -> Bool { max >= leaf && max <= leaf | 0xffff }

    func bit(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register, _ bit: Int) -> Bool {
        snapshot.value(leaf, subleaf, register) & (1 << UInt32(bit)) != 0
    }
}
