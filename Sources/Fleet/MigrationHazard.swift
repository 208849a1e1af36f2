import CPUID

/// A CPUID difference that breaks live migration or snapshot restore between two CPUs, not just a
/// missing feature: state the destination cannot hold, timing the guest relies on, or a model change.
public struct MigrationHazard: Hashable, Sendable, Encodable, CustomStringConvertible {
    public var name: String
    public var detail: String

    public var description: String { "\(name): \(detail)" }

    /// Single bits whose difference is a hazard, and why (libvirt marks invtsc and xsaves not migratable;
    /// TSX and AMX change what state and instructions a running guest may already be using).
    public static let bits: [(name: String, field: CPUIDField, why: String)] = [
        ("invariant TSC", CPUIDField(0x8000_0007, 0, .edx, bit: 8), "the guest's clocksource trusts a TSC the destination may not keep invariant"),
        ("XSAVES", CPUIDField(0xD, 1, .eax, bit: 3), "supervisor state saved in the compacted format cannot be restored without it"),
        ("TSX HLE", CPUIDField(0x7, 0, .ebx, bit: 4), "a guest using HLE faults or changes behaviour where TSX is off"),
        ("TSX RTM", CPUIDField(0x7, 0, .ebx, bit: 11), "a guest using RTM gets #UD where TSX is off"),
        ("AMX tiles", CPUIDField(0x7, 0, .edx, bit: 24), "tile state (XSAVE components 17-18) cannot move to a CPU without AMX"),
    ]

    /// Multi-bit fields whose difference is a hazard.
    public static let fields: [(name: String, field: CPUIDField, why: String)] = [
        ("XSAVE area size", CPUIDField(0xD, 0, .ecx, bits: 31, 0), "the guest's XSAVE buffers are sized for the source; a larger area truncates state"),
        ("XSAVE compacted size", CPUIDField(0xD, 1, .ebx, bits: 31, 0), "XSAVES/XSAVEC areas differ in size"),
        ("XSAVE user components", CPUIDField(0xD, 0, .eax, bits: 31, 0), "XCR0 values valid on the source fault on the destination"),
        ("maximum basic leaf", CPUIDField(0x0, 0, .eax, bits: 31, 0), "the guest's view of CPUID changes under it"),
        ("maximum extended leaf", CPUIDField(0x8000_0000, 0, .eax, bits: 31, 0), "the guest's view of CPUID changes under it"),
        ("family/model/stepping", CPUIDField(0x1, 0, .eax, bits: 27, 0), "errata workarounds and model-specific code chosen at boot no longer match"),
    ]

    /// Every hazard between `a` and `b`, in table order.
    public static func between(_ a: Snapshot, _ b: Snapshot) -> [MigrationHazard] {
        var result: [MigrationHazard] = []
        for item in bits where a.isSet(item.field) != b.isSet(item.field) {
            let side = a.isSet(item.field) ? "only the first has it" : "only the second has it"
            result.append(MigrationHazard(name: item.name, detail: "\(side) (\(item.field)); \(item.why)"))
        }
        for item in fields where a.read(item.field) != b.read(item.field) {
            result.append(MigrationHazard(name: item.name, detail: "\(Hex.word(a.read(item.field))) vs \(Hex.word(b.read(item.field))) (\(item.field)); \(item.why)"))
        }
        return result
    }
}

extension MigrationHazard {
    /// The bits libvirt (9.0) marks not migratable, which `--migratable` drops: invtsc and xsaves.
    public static let notMigratable: [CPUIDField] = [
        CPUIDField(0x8000_0007, 0, .edx, bit: 8),
        CPUIDField(0xD, 1, .eax, bit: 3),
    ]
}
