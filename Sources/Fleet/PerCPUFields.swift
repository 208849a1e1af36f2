import CPUID

/// Register bits that name the logical CPU rather than describe the processor (APIC and core IDs).
/// Two CPUs of one host differ there, so comparisons of hosts leave these bits out.
public enum PerCPUFields {
    /// (leaf, register, mask); every subleaf of the leaf.
    public static let table: [(leaf: UInt32, register: Register, mask: UInt32)] = [
        (0x1, .ebx, 0xff00_0000),           // initial APIC ID
        (0xB, .edx, 0xffff_ffff),           // x2APIC ID
        (0x1F, .edx, 0xffff_ffff),          // x2APIC ID (V2 extended topology)
        (0x8000_001E, .eax, 0xffff_ffff),   // extended APIC ID
        (0x8000_001E, .ebx, 0x0000_00ff),   // core ID
        (0x8000_001E, .ecx, 0x0000_00ff),   // node ID
    ]

    /// The bits of this register that identify the logical CPU.
    public static func mask(leaf: UInt32, register: Register) -> UInt32 {
        table.reduce(0) { $1.leaf == leaf && $1.register == register ? $0 | $1.mask : $0 }
    }
}
