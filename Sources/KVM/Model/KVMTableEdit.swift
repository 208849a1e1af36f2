import CPUID

/// A change a vendor module makes to a guest CPUID table when it takes it with KVM_SET_CPUID2, visible in
/// KVM_GET_CPUID2 afterwards. Knowing them lets vcpuid predict what KVM will then refuse (an MSR write
/// that needs the cleared bit) before asking KVM.
public struct KVMTableEdit: Hashable, Sendable, CustomStringConvertible {
    /// The bit the module changes.
    public var field: CPUIDField
    /// Linux's name of the bit.
    public var name: String
    /// The value it leaves (false: the module clears it).
    public var leavesSet: Bool
    /// Where the fact comes from.
    public var source: String

    public init(_ field: CPUIDField, _ name: String, leavesSet: Bool, source: String) {
        self.field = field
        self.name = name
        self.leavesSet = leavesSet
        self.source = source
    }

    /// The table as the module keeps it.
    public func applied(to table: Snapshot) -> Snapshot {
        guard table.entry(field.leaf, field.subleaf) != nil else { return table }
        var edited = table
        let old = table.value(field.leaf, field.subleaf, field.register)
        edited.set(field.leaf, field.subleaf, field.register, to: leavesSet ? old | field.mask : old & ~field.mask)
        return edited
    }

    public var description: String {
        "\(leavesSet ? "sets" : "clears") \(name) \(field) (\(source))"
    }

    /// What each module does to a table it takes. kvm_intel and kvm_amd keep the feature bits userspace sets
    /// (they only fill run-time fields), so they have no row here.
    public static func edits(for module: KVMModuleOptions.Module) -> [KVMTableEdit] {
        switch module {
        case .kvmIntel, .kvmAMD: []
        case .kvmPVM: [
            KVMTableEdit(CPUIDField(0x7, 0, .edx, bit: 29), "ARCH_CAPABILITIES", leavesSet: false,
                         source: "kvm_pvm: KVM_GET_CPUID2 after KVM_SET_CPUID2 shows it cleared (Linux 6.18.44 kvm_pvm, observed)"),
        ]
        }
    }
}
