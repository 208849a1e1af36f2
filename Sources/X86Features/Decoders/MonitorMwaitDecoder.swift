import CPUID

/// Leaf 5: MONITOR/MWAIT line sizes, extensions, and the C-state sub-states MWAIT supports.
public struct MonitorMwaitDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [5]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .bits(.eax, 15, 0, "smallest_monitor_line", .bytes(scale: 1)),
        .bits(.ebx, 15, 0, "largest_monitor_line", .bytes(scale: 1)),
        .flag(.ecx, 0, "mwait_extensions"),
        .flag(.ecx, 1, "mwait_interrupt_break"),
        .flag(.ecx, 3, "monitorless_mwait"),
        .bits(.edx, 3, 0, "c0_substates"),
        .bits(.edx, 7, 4, "c1_substates"),
        .bits(.edx, 11, 8, "c2_substates"),
        .bits(.edx, 15, 12, "c3_substates"),
        .bits(.edx, 19, 16, "c4_substates"),
        .bits(.edx, 23, 20, "c5_substates"),
        .bits(.edx, 27, 24, "c6_substates"),
        .bits(.edx, 31, 28, "c7_substates"),
    ])
}
