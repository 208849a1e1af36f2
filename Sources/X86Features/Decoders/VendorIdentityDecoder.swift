import CPUID

/// Leaves 0 and 0x80000000: the highest leaf of the range and the vendor string (EBX, EDX, ECX).
public struct VendorIdentityDecoder: LeafDecoder {
    public let leaves: [UInt32]

    /// `leaf` is 0 (basic range) or 0x80000000 (extended range).
    public init(leaf: UInt32) { leaves = [leaf] }

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        let leaf = leaves[0]
        guard ImplementedLeaves.contains(leaf, in: snapshot), let r = snapshot.registers(leaf) else { return }
        let vendor = Snapshot.ascii([r.ebx, r.edx, r.ecx])
        fields += [
            DecodedField(field: CPUIDField(leaf, 0, .eax, bits: 31, 0),
                         name: leaf == 0 ? "max_basic_leaf" : "max_extended_leaf", value: r.eax, reading: .hex),
            DecodedField(field: CPUIDField(leaf, 0, .ebx, bits: 31, 0), name: "vendor_id", value: r.ebx,
                         reading: .text(vendor.isEmpty ? "(none)" : vendor)),
        ]
    }
}

/// Leaf 0x40000000: the hypervisor's highest leaf and its signature (EBX, ECX, EDX).
public struct HypervisorIdentityDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x4000_0000]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        let leaf: UInt32 = 0x4000_0000
        guard ImplementedLeaves.contains(leaf, in: snapshot), let r = snapshot.registers(leaf) else { return }
        let signature = Snapshot.ascii([r.ebx, r.ecx, r.edx])
        fields += [
            DecodedField(field: CPUIDField(leaf, 0, .eax, bits: 31, 0), name: "max_hypervisor_leaf",
                         value: r.eax, reading: .hex),
            DecodedField(field: CPUIDField(leaf, 0, .ebx, bits: 31, 0), name: "hypervisor_id", value: r.ebx,
                         reading: .text(signature.isEmpty ? "(none)" : signature)),
        ]
    }
}
