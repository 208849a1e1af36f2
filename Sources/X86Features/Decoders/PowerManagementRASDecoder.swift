import CPUID

/// Leaf 0x80000007: RAS capabilities and advanced power management. Intel defines only
/// EDX[8], the invariant TSC; AMD defines the whole leaf.
public struct PowerManagementRASDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_0007]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return CPUVendor(snapshot).followsAMD ? Self.amd : Self.intel
    }

    static let amd = FieldTable([
        .flag(.ebx, 0, "overflow_recov"),
        .flag(.ebx, 1, "succor"),
        .flag(.ebx, 2, "hw_assert"),
        .flag(.ebx, 3, "smca"),
        .bits(.ecx, 31, 0, "power_sample_time_ratio"),
        .flag(.edx, 0, "temperature_sensor"),
        .flag(.edx, 1, "frequency_id_control"),
        .flag(.edx, 2, "voltage_id_control"),
        .flag(.edx, 3, "thermal_trip"),
        .flag(.edx, 4, "hw_thermal_control"),
        .flag(.edx, 5, "sw_thermal_control"),
        .flag(.edx, 6, "100mhz_steps"),
        .flag(.edx, 7, "hw_pstate"),
        .flag(.edx, 8, "invariant_tsc"),
        .flag(.edx, 9, "cpb"),
        .flag(.edx, 10, "eff_freq_ro"),
        .flag(.edx, 11, "proc_feedback"),
        .flag(.edx, 12, "acc_power"),
        .flag(.edx, 13, "connected_standby"),
        .flag(.edx, 14, "rapl"),
        .flag(.edx, 15, "fast_cppc"),
    ])

    static let intel = FieldTable([
        .flag(.edx, 8, "invariant_tsc"),
    ])
}
