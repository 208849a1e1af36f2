import CPUID

/// Leaf 6: thermal and power management (digital sensor, turbo, ARAT, HWP, hardware feedback).
public struct ThermalPowerDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [6]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .flag(.eax, 0, "dtherm"),
        .flag(.eax, 1, "ida"),
        .flag(.eax, 2, "arat"),
        .flag(.eax, 4, "pln"),
        .flag(.eax, 5, "ecmd"),
        .flag(.eax, 6, "pts"),
        .flag(.eax, 7, "hwp"),
        .flag(.eax, 8, "hwp_notify"),
        .flag(.eax, 9, "hwp_act_window"),
        .flag(.eax, 10, "hwp_epp"),
        .flag(.eax, 11, "hwp_pkg_req"),
        .flag(.eax, 13, "hdc"),
        .flag(.eax, 14, "turbo_boost_max_3"),
        .flag(.eax, 15, "hwp_highest_perf_change"),
        .flag(.eax, 16, "hwp_peci_override"),
        .flag(.eax, 17, "hwp_flexible"),
        .flag(.eax, 18, "hwp_fast_request"),
        .flag(.eax, 19, "hfi"),
        .flag(.eax, 20, "hwp_ignore_idle"),
        .flag(.eax, 23, "thread_director"),
        .flag(.eax, 24, "therm_interrupt_bit25"),
        .bits(.ebx, 3, 0, "thermal_thresholds"),
        .flag(.ecx, 0, "aperfmperf"),
        .flag(.ecx, 1, "acnt2"),
        .flag(.ecx, 3, "epb"),
        .bits(.ecx, 15, 8, "thread_director_classes"),
        .flag(.edx, 0, "perf_capability_reporting"),
        .flag(.edx, 1, "efficiency_capability_reporting"),
        .bits(.edx, 11, 8, "feedback_structure_pages", .countPlusOne),
        .bits(.edx, 31, 16, "feedback_row_index"),
    ])
}
