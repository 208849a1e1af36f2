import CPUID

/// One word of KVM's capability array (`kvm_cpu_caps`) and the CPUID register it mirrors,
/// as listed in arch/x86/kvm/reverse_cpuid.h.
///
/// A word either shares its number with a word of the host kernel's `x86_capability` (KVM then also
/// ANDs the kernel's word in), or is KVM-only: a register the kernel scatters or does not know.
public struct KVMCapabilityWord: Hashable, Sendable, CustomStringConvertible {
    /// The kernel's name for the word, e.g. `CPUID_7_0_EBX` or `CPUID_12_EAX`.
    public var name: String
    public var leaf: UInt32
    public var subleaf: UInt32
    public var register: Register
    /// The host kernel's capability word with the same number; nil for a KVM-only word.
    public var kernelWord: Int?

    public init(_ name: String, _ leaf: UInt32, _ subleaf: UInt32, _ register: Register, kernelWord: Int?) {
        self.name = name
        self.leaf = leaf
        self.subleaf = subleaf
        self.register = register
        self.kernelWord = kernelWord
    }

    public var isKVMOnly: Bool { kernelWord == nil }
    public var description: String { name }

    /// The register in SDM notation, e.g. `CPUID.(EAX=07H,ECX=0):EBX`.
    public var location: String {
        let text = CPUIDField(leaf, subleaf, register, bits: 31, 0).description
        return String(text.prefix { $0 != "[" })
    }

    /// One bit of this word as a CPUID field.
    public func field(bit: Int) -> CPUIDField { CPUIDField(leaf, subleaf, register, bit: bit) }
}

/// The words of reverse_cpuid.h. Kernel words keep their `enum cpuid_leafs` number; KVM-only words
/// follow NCAPINTS in the kernel, and their number never reaches userspace, so only the name is kept.
extension KVMCapabilityWord {
    public static let cpuid_1_EDX = KVMCapabilityWord("CPUID_1_EDX", 0x1, 0, .edx, kernelWord: 0)
    public static let cpuid_8000_0001_EDX = KVMCapabilityWord("CPUID_8000_0001_EDX", 0x8000_0001, 0, .edx, kernelWord: 1)
    public static let cpuid_8086_0001_EDX = KVMCapabilityWord("CPUID_8086_0001_EDX", 0x8086_0001, 0, .edx, kernelWord: 2)
    public static let cpuid_1_ECX = KVMCapabilityWord("CPUID_1_ECX", 0x1, 0, .ecx, kernelWord: 4)
    public static let cpuid_C000_0001_EDX = KVMCapabilityWord("CPUID_C000_0001_EDX", 0xC000_0001, 0, .edx, kernelWord: 5)
    public static let cpuid_8000_0001_ECX = KVMCapabilityWord("CPUID_8000_0001_ECX", 0x8000_0001, 0, .ecx, kernelWord: 6)
    public static let cpuid_7_0_EBX = KVMCapabilityWord("CPUID_7_0_EBX", 0x7, 0, .ebx, kernelWord: 9)
    public static let cpuid_D_1_EAX = KVMCapabilityWord("CPUID_D_1_EAX", 0xD, 1, .eax, kernelWord: 10)
    public static let cpuid_7_1_EAX = KVMCapabilityWord("CPUID_7_1_EAX", 0x7, 1, .eax, kernelWord: 12)
    public static let cpuid_8000_0008_EBX = KVMCapabilityWord("CPUID_8000_0008_EBX", 0x8000_0008, 0, .ebx, kernelWord: 13)
    public static let cpuid_6_EAX = KVMCapabilityWord("CPUID_6_EAX", 0x6, 0, .eax, kernelWord: 14)
    public static let cpuid_8000_000A_EDX = KVMCapabilityWord("CPUID_8000_000A_EDX", 0x8000_000A, 0, .edx, kernelWord: 15)
    public static let cpuid_7_ECX = KVMCapabilityWord("CPUID_7_ECX", 0x7, 0, .ecx, kernelWord: 16)
    public static let cpuid_8000_0007_EBX = KVMCapabilityWord("CPUID_8000_0007_EBX", 0x8000_0007, 0, .ebx, kernelWord: 17)
    public static let cpuid_7_EDX = KVMCapabilityWord("CPUID_7_EDX", 0x7, 0, .edx, kernelWord: 18)
    public static let cpuid_8000_001F_EAX = KVMCapabilityWord("CPUID_8000_001F_EAX", 0x8000_001F, 0, .eax, kernelWord: 19)
    /// A kernel word from v6.3 on (NCAPINTS grew from 20 to 21).
    public static let cpuid_8000_0021_EAX = KVMCapabilityWord("CPUID_8000_0021_EAX", 0x8000_0021, 0, .eax, kernelWord: 20)

    // KVM-only words.
    public static let cpuid_12_EAX = KVMCapabilityWord("CPUID_12_EAX", 0x12, 0, .eax, kernelWord: nil)
    public static let cpuid_7_1_EDX = KVMCapabilityWord("CPUID_7_1_EDX", 0x7, 1, .edx, kernelWord: nil)
    public static let cpuid_8000_0007_EDX = KVMCapabilityWord("CPUID_8000_0007_EDX", 0x8000_0007, 0, .edx, kernelWord: nil)
    public static let cpuid_8000_0022_EAX = KVMCapabilityWord("CPUID_8000_0022_EAX", 0x8000_0022, 0, .eax, kernelWord: nil)
    public static let cpuid_7_2_EDX = KVMCapabilityWord("CPUID_7_2_EDX", 0x7, 2, .edx, kernelWord: nil)
    public static let cpuid_24_0_EBX = KVMCapabilityWord("CPUID_24_0_EBX", 0x24, 0, .ebx, kernelWord: nil)
    public static let cpuid_8000_0021_ECX = KVMCapabilityWord("CPUID_8000_0021_ECX", 0x8000_0021, 0, .ecx, kernelWord: nil)
}

extension KVMCapabilityWord {
    /// KVM-only from v6.13-era kernels on (the immediate form of RDMSR/WRMSRNS).
    public static let cpuid_7_1_ECX = KVMCapabilityWord("CPUID_7_1_ECX", 0x7, 1, .ecx, kernelWord: nil)
    /// KVM-only in 7.0: the AMX instruction subleaf 0x1E.1.
    public static let cpuid_1E_1_EAX = KVMCapabilityWord("CPUID_1E_1_EAX", 0x1E, 1, .eax, kernelWord: nil)
    /// KVM-only in 7.0: AVX10 subleaf 0x24.1.
    public static let cpuid_24_1_ECX = KVMCapabilityWord("CPUID_24_1_ECX", 0x24, 1, .ecx, kernelWord: nil)
}
