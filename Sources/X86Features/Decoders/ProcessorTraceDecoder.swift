import CPUID

/// Leaf 0x14: Intel Processor Trace capabilities (subleaf 0) and address ranges and MTC/cycle/PSB
/// encodings (subleaf 1).
public struct ProcessorTraceDecoder: LeafDecoder {
    public let leaves: [UInt32] = [0x14]

    public init() {}

    public func decode(_ snapshot: Snapshot, into fields: inout [DecodedField]) {
        guard ImplementedLeaves.contains(0x14, in: snapshot), let first = snapshot.registers(0x14, 0) else { return }
        Self.subleaf0.decode(leaf: 0x14, subleaf: 0, first, into: &fields)
        for entry in snapshot.subleaves(of: 0x14) where entry.subleaf > 0 && entry.subleaf <= first.eax {
            (entry.subleaf == 1 ? Self.subleaf1 : Self.undefined)
                .decode(leaf: 0x14, subleaf: entry.subleaf, entry.registers, into: &fields)
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
