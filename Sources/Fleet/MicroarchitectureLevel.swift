import CPUID

/// The x86-64 psABI micro-architecture levels: each level is the previous one plus these CPUID bits.
/// OSFXSR is the operating system's choice (CR4), so v1 asks for FXSR itself.
public struct MicroarchitectureLevel: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var number: Int
    /// The bits this level adds, by psABI name.
    public var adds: [(name: String, field: CPUIDField)]

    public static func == (lhs: MicroarchitectureLevel, rhs: MicroarchitectureLevel) -> Bool { lhs.number == rhs.number }
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
    public static func < (lhs: MicroarchitectureLevel, rhs: MicroarchitectureLevel) -> Bool { lhs.number < rhs.number }

    /// `x86-64-v3`.
    public var description: String { "x86-64-v\(number)" }

    public static let all: [MicroarchitectureLevel] = [
        MicroarchitectureLevel(number: 1, adds: [
            ("CMOV", CPUIDField(0x1, 0, .edx, bit: 15)),
            ("CX8", CPUIDField(0x1, 0, .edx, bit: 8)),
            ("FPU", CPUIDField(0x1, 0, .edx, bit: 0)),
            ("FXSR", CPUIDField(0x1, 0, .edx, bit: 24)),
            ("MMX", CPUIDField(0x1, 0, .edx, bit: 23)),
            ("SCE", CPUIDField(0x8000_0001, 0, .edx, bit: 11)),
            ("SSE", CPUIDField(0x1, 0, .edx, bit: 25)),
            ("SSE2", CPUIDField(0x1, 0, .edx, bit: 26)),
        ]),
        MicroarchitectureLevel(number: 2, adds: [
            ("CMPXCHG16B", CPUIDField(0x1, 0, .ecx, bit: 13)),
            ("LAHF-SAHF", CPUIDField(0x8000_0001, 0, .ecx, bit: 0)),
            ("POPCNT", CPUIDField(0x1, 0, .ecx, bit: 23)),
            ("SSE3", CPUIDField(0x1, 0, .ecx, bit: 0)),
            ("SSE4_1", CPUIDField(0x1, 0, .ecx, bit: 19)),
            ("SSE4_2", CPUIDField(0x1, 0, .ecx, bit: 20)),
            ("SSSE3", CPUIDField(0x1, 0, .ecx, bit: 9)),
        ]),
        MicroarchitectureLevel(number: 3, adds: [
            ("AVX", CPUIDField(0x1, 0, .ecx, bit: 28)),
            ("AVX2", CPUIDField(0x7, 0, .ebx, bit: 5)),
            ("BMI1", CPUIDField(0x7, 0, .ebx, bit: 3)),
            ("BMI2", CPUIDField(0x7, 0, .ebx, bit: 8)),
            ("F16C", CPUIDField(0x1, 0, .ecx, bit: 29)),
            ("FMA", CPUIDField(0x1, 0, .ecx, bit: 12)),
            ("LZCNT", CPUIDField(0x8000_0001, 0, .ecx, bit: 5)),
            ("MOVBE", CPUIDField(0x1, 0, .ecx, bit: 22)),
            ("OSXSAVE", CPUIDField(0x1, 0, .ecx, bit: 27)),
        ]),
        MicroarchitectureLevel(number: 4, adds: [
            ("AVX512F", CPUIDField(0x7, 0, .ebx, bit: 16)),
            ("AVX512BW", CPUIDField(0x7, 0, .ebx, bit: 30)),
            ("AVX512CD", CPUIDField(0x7, 0, .ebx, bit: 28)),
            ("AVX512DQ", CPUIDField(0x7, 0, .ebx, bit: 17)),
            ("AVX512VL", CPUIDField(0x7, 0, .ebx, bit: 31)),
        ]),
    ]

    /// Bits that stand in for a requirement a dump cannot show: Intel reports SYSCALL (SCE) only to 64-bit
    /// code, so a 32-bit tool's dump lacks it where long mode implies it; OSXSAVE mirrors CR4 of the
    /// running OS, so a guest table or KVM's supported table lacks it where XSAVE lets the guest's OS set it.
    static let impliedBy: [String: CPUIDField] = [
        "SCE": CPUIDField(0x8000_0001, 0, .edx, bit: 29),
        "OSXSAVE": CPUIDField(0x1, 0, .ecx, bit: 26),
    ]

    static func has(_ requirement: (name: String, field: CPUIDField), in snapshot: Snapshot) -> Bool {
        snapshot.isSet(requirement.field) || impliedBy[requirement.name].map { snapshot.isSet($0) } == true
    }

    /// The highest level whose bits (and every lower level's) are all set; nil below v1.
    public static func highest(in snapshot: Snapshot) -> MicroarchitectureLevel? {
        var reached: MicroarchitectureLevel?
        for level in all {
            guard level.adds.allSatisfy({ has($0, in: snapshot) }) else { break }
            reached = level
        }
        return reached
    }

    /// What the next level up lacks in this snapshot (empty at v4).
    public static func missingForNext(in snapshot: Snapshot) -> (level: MicroarchitectureLevel, missing: [String])? {
        let next = (highest(in: snapshot)?.number ?? 0) + 1
        guard let level = all.first(where: { $0.number == next }) else { return nil }
        return (level, level.adds.filter { !has($0, in: snapshot) }.map(\.name))
    }
}
