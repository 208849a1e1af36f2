import CPUID

/// Leaf 1: signature (family, model, stepping), EBX identifiers, and the ECX/EDX feature flags.
/// EBX[23:16] differs by vendor: Intel counts addressable logical-processor IDs in the package,
/// AMD the logical processors themselves (both valid only when EDX.HTT is set).
public struct FeatureInformationDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [1]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return CPUVendor(snapshot).followsAMD ? Self.amd : Self.intel
    }

    static let processorType = Choices(["original OEM processor", "OverDrive processor", "dual processor", nil])

    static let signature: [FieldSpec] = [
        .bits(.eax, 3, 0, "stepping"),
        .bits(.eax, 7, 4, "base_model", .hex),
        .bits(.eax, 11, 8, "base_family", .hex),
        .bits(.eax, 13, 12, "processor_type", .choice(processorType)),
        .bits(.eax, 19, 16, "extended_model", .hex),
        .bits(.eax, 27, 20, "extended_family", .hex),
    ]

    static let ebxIntel: [FieldSpec] = [
        .bits(.ebx, 7, 0, "brand_index", .hex),
        .bits(.ebx, 15, 8, "clflush_line_size", .bytes(scale: 8)),
        .bits(.ebx, 23, 16, "max_logical_processor_ids"),
        .bits(.ebx, 31, 24, "initial_apic_id"),
    ]

    static let ebxAMD: [FieldSpec] = [
        .bits(.ebx, 7, 0, "brand_index", .hex),
        .bits(.ebx, 15, 8, "clflush_line_size", .bytes(scale: 8)),
        .bits(.ebx, 23, 16, "logical_processor_count"),
        .bits(.ebx, 31, 24, "initial_apic_id"),
    ]

    static let ecx: [FieldSpec] = [
        .flag(.ecx, 0, "pni"),
        .flag(.ecx, 1, "pclmulqdq"),
        .flag(.ecx, 2, "dtes64"),
        .flag(.ecx, 3, "monitor"),
        .flag(.ecx, 4, "ds_cpl"),
        .flag(.ecx, 5, "vmx"),
        .flag(.ecx, 6, "smx"),
        .flag(.ecx, 7, "est"),
        .flag(.ecx, 8, "tm2"),
        .flag(.ecx, 9, "ssse3"),
        .flag(.ecx, 10, "cid"),
        .flag(.ecx, 11, "sdbg"),
        .flag(.ecx, 12, "fma"),
        .flag(.ecx, 13, "cx16"),
        .flag(.ecx, 14, "xtpr"),
        .flag(.ecx, 15, "pdcm"),
        .flag(.ecx, 17, "pcid"),
        .flag(.ecx, 18, "dca"),
        .flag(.ecx, 19, "sse4_1"),
        .flag(.ecx, 20, "sse4_2"),
        .flag(.ecx, 21, "x2apic"),
        .flag(.ecx, 22, "movbe"),
        .flag(.ecx, 23, "popcnt"),
        .flag(.ecx, 24, "tsc_deadline_timer"),
        .flag(.ecx, 25, "aes"),
        .flag(.ecx, 26, "xsave"),
        .flag(.ecx, 27, "osxsave"),
        .flag(.ecx, 28, "avx"),
        .flag(.ecx, 29, "f16c"),
        .flag(.ecx, 30, "rdrand"),
        .flag(.ecx, 31, "hypervisor"),
    ]

    static let edx: [FieldSpec] = [
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
        .flag(.edx, 11, "sep"),
        .flag(.edx, 12, "mtrr"),
        .flag(.edx, 13, "pge"),
        .flag(.edx, 14, "mca"),
        .flag(.edx, 15, "cmov"),
        .flag(.edx, 16, "pat"),
        .flag(.edx, 17, "pse36"),
        .flag(.edx, 18, "pn"),
        .flag(.edx, 19, "clflush"),
        .flag(.edx, 21, "dts"),
        .flag(.edx, 22, "acpi"),
        .flag(.edx, 23, "mmx"),
        .flag(.edx, 24, "fxsr"),
        .flag(.edx, 25, "sse"),
        .flag(.edx, 26, "sse2"),
        .flag(.edx, 27, "ss"),
        .flag(.edx, 28, "ht"),
        .flag(.edx, 29, "tm"),
        .flag(.edx, 30, "ia64"),
        .flag(.edx, 31, "pbe"),
    ]

    static let intel = FieldTable(signature + ebxIntel + ecx + edx)
    // AMD defines no processor type field (EAX[13:12] reserved).
    static let amd = FieldTable(signature.filter { $0.name != "processor_type" } + ebxAMD + ecx + edx)
}
