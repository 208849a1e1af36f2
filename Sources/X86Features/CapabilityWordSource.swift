import CPUID

/// Where each capability word comes from (cpufeature.h's `enum cpuid_leafs`): a CPUID register copied
/// whole by get_cpu_cap(), or a Linux-defined word filled bit by bit (scattered rows, synthetic flags).
public struct CapabilityWordSource: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The word mirrors one CPUID register; `vendors` limits it to CPUs of these vendors (empty: all).
        case cpuid(leaf: UInt32, subleaf: UInt32, register: Register, vendors: [CPUVendor])
        /// A word Linux defines itself.
        case linuxDefined(String)
    }

    public var word: Int
    public var kind: Kind

    public init(_ word: Int, _ kind: Kind) {
        self.word = word
        self.kind = kind
    }

    /// The register a direct word mirrors, as a field covering all 32 bits.
    public var register: (leaf: UInt32, subleaf: UInt32, register: Register)? {
        if case let .cpuid(leaf, subleaf, register, _) = kind { return (leaf, subleaf, register) }
        return nil
    }

    /// The CPUID location of one bit of a direct word.
    public func field(bit: Int) -> CPUIDField? {
        register.map { CPUIDField($0.leaf, $0.subleaf, $0.register, bit: bit) }
    }

    /// Every word up to the newest kernel's NCAPINTS; older kernels use a prefix of this table.
    public static let table: [CapabilityWordSource] = [
        .init(0, .cpuid(leaf: 0x0000_0001, subleaf: 0, register: .edx, vendors: [])),
        .init(1, .cpuid(leaf: 0x8000_0001, subleaf: 0, register: .edx, vendors: [])),
        .init(2, .cpuid(leaf: 0x8086_0001, subleaf: 0, register: .edx, vendors: [.transmeta])),
        .init(3, .linuxDefined("Linux-defined 1: synthetic and conflicting features")),
        .init(4, .cpuid(leaf: 0x0000_0001, subleaf: 0, register: .ecx, vendors: [])),
        .init(5, .cpuid(leaf: 0xC000_0001, subleaf: 0, register: .edx, vendors: [.centaur, .zhaoxin])),
        .init(6, .cpuid(leaf: 0x8000_0001, subleaf: 0, register: .ecx, vendors: [])),
        .init(7, .linuxDefined("Linux-defined 2: scattered and synthetic features")),
        .init(8, .linuxDefined("Linux-defined 3: virtualization features")),
        .init(9, .cpuid(leaf: 0x0000_0007, subleaf: 0, register: .ebx, vendors: [])),
        .init(10, .cpuid(leaf: 0x0000_000D, subleaf: 1, register: .eax, vendors: [])),
        .init(11, .linuxDefined("Linux-defined 4: scattered and synthetic features")),
        .init(12, .cpuid(leaf: 0x0000_0007, subleaf: 1, register: .eax, vendors: [])),
        .init(13, .cpuid(leaf: 0x8000_0008, subleaf: 0, register: .ebx, vendors: [])),
        .init(14, .cpuid(leaf: 0x0000_0006, subleaf: 0, register: .eax, vendors: [])),
        .init(15, .cpuid(leaf: 0x8000_000A, subleaf: 0, register: .edx, vendors: [])),
        .init(16, .cpuid(leaf: 0x0000_0007, subleaf: 0, register: .ecx, vendors: [])),
        .init(17, .cpuid(leaf: 0x8000_0007, subleaf: 0, register: .ebx, vendors: [])),
        .init(18, .cpuid(leaf: 0x0000_0007, subleaf: 0, register: .edx, vendors: [])),
        .init(19, .cpuid(leaf: 0x8000_001F, subleaf: 0, register: .eax, vendors: [])),
        .init(20, .cpuid(leaf: 0x8000_0021, subleaf: 0, register: .eax, vendors: [])),
        .init(21, .linuxDefined("Linux-defined 5: scattered and synthetic features")),
    ]

    public static func of(word: Int) -> CapabilityWordSource? {
        table.indices.contains(word) ? table[word] : nil
    }
}
