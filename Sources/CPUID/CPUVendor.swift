/// The CPU vendor, decided once from leaf 0's identification string for every module that branches on it
/// (Linux's vendor code, KVM's out-of-range rule and module choice, the decoders, the SGX verdict).
public enum CPUVendor: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case intel
    case amd
    case hygon
    case centaur
    case zhaoxin
    case transmeta
    case other

    /// Leaf 0 identification strings (EBX, EDX, ECX) and the vendor each names; Linux's cpu_dev tables
    /// list the same strings (`AMDisbetter!` is early AMD K5 silicon, `TransmetaCPU` early Crusoe).
    public static let identifications: [(identification: String, vendor: CPUVendor)] = [
        ("GenuineIntel", .intel),
        ("AuthenticAMD", .amd),
        ("AMDisbetter!", .amd),
        ("HygonGenuine", .hygon),
        ("CentaurHauls", .centaur),
        ("  Shanghai  ", .zhaoxin),
        ("GenuineTMx86", .transmeta),
        ("TransmetaCPU", .transmeta),
    ]

    public init(identification: String) {
        self = Self.identifications.first { $0.identification == identification }?.vendor ?? .other
    }

    /// Reads leaf 0 of a snapshot (an absent leaf 0 is `.other`).
    public init(_ snapshot: Snapshot) { self.init(leaf0: snapshot.registers(0) ?? .zero) }

    /// Reads leaf 0's registers without building a string first: decoders and KVM lookups ask per entry.
    public init(leaf0: Registers) {
        let words = Self.words
        for k in words.indices where words[k].ebx == leaf0.ebx && words[k].edx == leaf0.edx && words[k].ecx == leaf0.ecx {
            self = Self.identifications[k].vendor
            return
        }
        self = .other
    }

    /// The identification strings as the three little-endian register words leaf 0 returns them in.
    private static let words: [(ebx: UInt32, edx: UInt32, ecx: UInt32)] = identifications.map { entry in
        let bytes = Array(entry.identification.utf8)
        func word(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        return (word(0), word(4), word(8))
    }

    /// AMD and Hygon share AMD's meanings of the extended leaves and of leaf 1 EBX, KVM gives their guests
    /// zeros beyond the leaf range, and their hosts load kvm_amd; everyone else follows Intel.
    public var followsAMD: Bool { self == .amd || self == .hygon }

    public var description: String {
        switch self {
        case .intel: "Intel"
        case .amd: "AMD"
        case .hygon: "Hygon"
        case .centaur: "Centaur"
        case .zhaoxin: "Zhaoxin"
        case .transmeta: "Transmeta"
        case .other: "another vendor"
        }
    }
}

extension Snapshot {
    /// The vendor leaf 0 names.
    public var cpuVendor: CPUVendor { CPUVendor(self) }
}
