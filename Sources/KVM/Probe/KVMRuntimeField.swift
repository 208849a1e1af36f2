import CPUID

/// A CPUID field whose guest-visible value KVM (or the VMM) decides while the guest runs, so a guest may
/// legitimately see something other than the table: the field, its name, and what it follows.
public struct KVMRuntimeField: Hashable, Sendable, CustomStringConvertible {
    /// The leaf and register; `subleaf == nil` means every subleaf of the leaf.
    public var leaf: UInt32
    public var subleaf: UInt32?
    public var register: Register
    public var mask: UInt32
    /// Short name, e.g. `OSXSAVE`.
    public var name: String
    /// What decides the value at run time.
    public var follows: String

    public init(leaf: UInt32, subleaf: UInt32?, register: Register, mask: UInt32, name: String, follows: String) {
        self.leaf = leaf
        self.subleaf = subleaf
        self.register = register
        self.mask = mask
        self.name = name
        self.follows = follows
    }

    public func applies(to key: LeafKey, _ register: Register) -> Bool {
        key.leaf == leaf && (subleaf == nil || subleaf == key.subleaf) && register == self.register
    }

    public var description: String {
        let place = subleaf.map { "\(Hex.word(leaf)).\($0)" } ?? "\(Hex.word(leaf)).*"
        return "\(name) (\(place) \(register) mask \(Hex.word(mask))) follows \(follows)"
    }

    private static func bits(_ hi: UInt32, _ lo: UInt32) -> UInt32 {
        (hi == 31 ? UInt32.max : (UInt32(1) << (hi + 1)) - 1) & ~((UInt32(1) << lo) - 1)
    }

    /// The fields KVM fills in at run time (kvm_update_cpuid_runtime, kvm_cpuid, the vCPU's APIC),
    /// one row per field. Sources: arch/x86/kvm/cpuid.c; SDM Vol. 2A CPUID.
    public static let all: [KVMRuntimeField] = [
        KVMRuntimeField(leaf: 0x1, subleaf: 0, register: .ebx, mask: bits(31, 24), name: "initial APIC ID",
                        follows: "the vCPU's APIC ID, which the VMM sets per vCPU"),
        KVMRuntimeField(leaf: 0x1, subleaf: 0, register: .ecx, mask: 1 << 27, name: "OSXSAVE",
                        follows: "CR4.OSXSAVE of the guest"),
        KVMRuntimeField(leaf: 0x1, subleaf: 0, register: .ecx, mask: 1 << 3, name: "MONITOR",
                        follows: "IA32_MISC_ENABLE.MWAIT when KVM's MISC_ENABLE_NO_MWAIT quirk is off"),
        KVMRuntimeField(leaf: 0x1, subleaf: 0, register: .edx, mask: 1 << 9, name: "APIC",
                        follows: "IA32_APIC_BASE.EN (the guest's local APIC being enabled)"),
        KVMRuntimeField(leaf: 0x7, subleaf: 0, register: .ecx, mask: 1 << 4, name: "OSPKE",
                        follows: "CR4.PKE of the guest"),
        KVMRuntimeField(leaf: 0x7, subleaf: 0, register: .ebx, mask: 1 << 4 | 1 << 11, name: "HLE/RTM",
                        follows: "IA32_TSX_CTRL.CPUID_CLEAR"),
        KVMRuntimeField(leaf: 0xB, subleaf: nil, register: .edx, mask: .max, name: "x2APIC ID (leaf 0xB)",
                        follows: "the vCPU's x2APIC ID"),
        KVMRuntimeField(leaf: 0x1F, subleaf: nil, register: .edx, mask: .max, name: "x2APIC ID (leaf 0x1F)",
                        follows: "the vCPU's x2APIC ID"),
        KVMRuntimeField(leaf: 0xD, subleaf: 0, register: .ebx, mask: .max, name: "XSAVE area size (XCR0)",
                        follows: "the XSAVE size of the components enabled in XCR0"),
        KVMRuntimeField(leaf: 0xD, subleaf: 1, register: .ebx, mask: .max, name: "XSAVES area size (XCR0|XSS)",
                        follows: "the compacted XSAVE size of the components enabled in XCR0 and IA32_XSS"),
        KVMRuntimeField(leaf: 0x8000_0007, subleaf: 0, register: .edx, mask: 1 << 8, name: "invariant TSC",
                        follows: "Hyper-V's invariant-TSC suppression (HV_X64_MSR_TSC_INVARIANT_CONTROL)"),
    ]

    /// The run-time fields that cover bits of this register of this entry.
    public static func fields(for key: LeafKey, _ register: Register) -> [KVMRuntimeField] {
        all.filter { $0.applies(to: key, register) }
    }
}
