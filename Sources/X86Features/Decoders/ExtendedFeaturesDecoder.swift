import CPUID

/// Leaf 0x80000001: extended signature and feature flags. AMD defines most of these bits;
/// Intel only LAHF/SAHF, LZCNT and PREFETCHW in ECX and SYSCALL, NX, 1 GiB pages, RDTSCP and
/// long mode in EDX, so each vendor gets its own table. VIA/Centaur parts follow AMD's layout
/// (the C3 reports the AMD copies of the leaf 1 EDX bits and 3DNow! here).
public struct ExtendedFeaturesDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_0001]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return switch CPUVendor(snapshot) {
        case .amd, .hygon, .centaur: Self.amd
        case .intel, .zhaoxin, .transmeta, .other: Self.intel
        }
    }

    static let signature: [FieldSpec] = [
        .bits(.eax, 3, 0, "stepping"),
        .bits(.eax, 7, 4, "base_model", .hex),
        .bits(.eax, 11, 8, "base_family", .hex),
        .bits(.eax, 19, 16, "extended_model", .hex),
        .bits(.eax, 27, 20, "extended_family", .hex),
    ]

    static let amd = FieldTable(signature + [
        .bits(.ebx, 15, 0, "brand_id", .hex),
        .bits(.ebx, 31, 28, "package_type", .hex),
        .flag(.ecx, 0, "lahf_lm"),
        .flag(.ecx, 1, "cmp_legacy"),
        .flag(.ecx, 2, "svm"),
        .flag(.ecx, 3, "extapic"),
        .flag(.ecx, 4, "cr8_legacy"),
        .flag(.ecx, 5, "abm"),
        .flag(.ecx, 6, "sse4a"),
        .flag(.ecx, 7, "misalignsse"),
        .flag(.ecx, 8, "3dnowprefetch"),
        .flag(.ecx, 9, "osvw"),
        .flag(.ecx, 10, "ibs"),
        .flag(.ecx, 11, "xop"),
        .flag(.ecx, 12, "skinit"),
        .flag(.ecx, 13, "wdt"),
        .flag(.ecx, 15, "lwp"),
        .flag(.ecx, 16, "fma4"),
        .flag(.ecx, 17, "tce"),
        .flag(.ecx, 19, "nodeid_msr"),
        .flag(.ecx, 21, "tbm"),
        .flag(.ecx, 22, "topoext"),
        .flag(.ecx, 23, "perfctr_core"),
        .flag(.ecx, 24, "perfctr_nb"),
        .flag(.ecx, 26, "bpext"),
        .flag(.ecx, 27, "ptsc"),
        .flag(.ecx, 28, "perfctr_llc"),
        .flag(.ecx, 29, "mwaitx"),
        .flag(.ecx, 30, "addr_mask_ext"),
        .flag(.edx, 0, "fpu"),
        .flag(.edx, 1, "vme"),
        .flag(.edx, 2, "de"),
        .flag(.edx, 3, "pse"),
        .flag(.edx, 4, "tsc"),
        .flag(.edx, 5, "msr"),
        .flag(.edx, 6, "pae"),
        .flag(.edx, 7, "mce"),
        .flag(.edx, 8, "cx8"),
        .flag(.edx, 9, "apic"),
        .flag(.edx, 11, "syscall"),
        .flag(.edx, 12, "mtrr"),
        .flag(.edx, 13, "pge"),
        .flag(.edx, 14, "mca"),
        .flag(.edx, 15, "cmov"),
        .flag(.edx, 16, "pat"),
        .flag(.edx, 17, "pse36"),
        .flag(.edx, 19, "mp"),
        .flag(.edx, 20, "nx"),
        .flag(.edx, 22, "mmxext"),
        .flag(.edx, 23, "mmx"),
        .flag(.edx, 24, "fxsr"),
        .flag(.edx, 25, "fxsr_opt"),
        .flag(.edx, 26, "pdpe1gb"),
        .flag(.edx, 27, "rdtscp"),
        .flag(.edx, 29, "lm"),
        .flag(.edx, 30, "3dnowext"),
        .flag(.edx, 31, "3dnow"),
    ])

    static let intel = FieldTable(signature + [
        .flag(.ecx, 0, "lahf_lm"),
        .flag(.ecx, 5, "abm"),
        .flag(.ecx, 8, "3dnowprefetch"),
        .flag(.edx, 11, "syscall"),
        .flag(.edx, 20, "nx"),
        .flag(.edx, 26, "pdpe1gb"),
        .flag(.edx, 27, "rdtscp"),
        .flag(.edx, 29, "lm"),
    ])
}
