import CPUID

/// Leaf 0x14: Intel Processor Trace capabilities (subleaf 0) and address ranges and MTC/cycle/PSB
/// encodings (subleaf 1).
public struct ProcessorTraceDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x14]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        // Subleaves past the highest one subleaf 0 enumerates are not answers.
        guard entry.subleaf == 0 || entry.subleaf <= snapshot.value(0x14, 0, .eax) else { return nil }
        return switch entry.subleaf {
        case 0: Self.subleaf0
        case 1: Self.subleaf1
        default: Self.undefined
        }
    }

    static let subleaf0 = FieldTable([
        .bits(.eax, 31, 0, "max_subleaf"),
        .flag(.ebx, 0, "cr3_filtering"),
        .flag(.ebx, 1, "psb_cyc"),
        .flag(.ebx, 2, "ip_filtering"),
        .flag(.ebx, 3, "mtc"),
        .flag(.ebx, 4, "ptwrite"),
        .flag(.ebx, 5, "power_event_trace"),
        .flag(.ebx, 6, "psb_pmi_preserve"),
        .flag(.ebx, 7, "event_trace"),
        .flag(.ebx, 8, "tnt_disable"),
        .flag(.ecx, 0, "topa_output"),
        .flag(.ecx, 1, "topa_multiple_entries"),
        .flag(.ecx, 2, "single_range_output"),
        .flag(.ecx, 3, "trace_transport_output"),
        .flag(.ecx, 31, "lip"),
    ])

    static let subleaf1 = FieldTable([
        .bits(.eax, 2, 0, "address_ranges"),
        .bits(.eax, 31, 16, "mtc_period_bitmap", .hex),
        .bits(.ebx, 15, 0, "cycle_threshold_bitmap", .hex),
        .bits(.ebx, 31, 16, "psb_frequency_bitmap", .hex),
    ])

    static let undefined = FieldTable([])
}
