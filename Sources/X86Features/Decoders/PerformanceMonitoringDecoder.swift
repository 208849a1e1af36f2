import CPUID

/// Leaf 0xA: architectural performance monitoring (version, counters, unavailable events).
public struct PerformanceMonitoringDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0xA]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .bits(.eax, 7, 0, "pmu_version"),
        .bits(.eax, 15, 8, "gp_counters"),
        .bits(.eax, 23, 16, "gp_counter_width", .bitWidth),
        .bits(.eax, 31, 24, "event_vector_length"),
        .flag(.ebx, 0, "no_core_cycles_event"),
        .flag(.ebx, 1, "no_instructions_retired_event"),
        .flag(.ebx, 2, "no_reference_cycles_event"),
        .flag(.ebx, 3, "no_llc_reference_event"),
        .flag(.ebx, 4, "no_llc_miss_event"),
        .flag(.ebx, 5, "no_branch_retired_event"),
        .flag(.ebx, 6, "no_branch_mispredict_event"),
        .flag(.ebx, 7, "no_topdown_slots_event"),
        .bits(.ecx, 31, 0, "fixed_counter_bitmap", .hex),
        .bits(.edx, 4, 0, "fixed_counters"),
        .bits(.edx, 12, 5, "fixed_counter_width", .bitWidth),
        .flag(.edx, 15, "anythread_deprecated"),
    ])
}
