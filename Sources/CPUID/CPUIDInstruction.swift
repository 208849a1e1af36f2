import CCPUID

/// The CPUID instruction itself, executed on whatever logical CPU the calling thread runs on.
public enum CPUIDInstruction {
    /// False on non-x86 builds, where there is no instruction to run.
    public static var isAvailable: Bool { ccpuid_has_instruction() != 0 }

    public static func execute(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> Registers {
        var out: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        withUnsafeMutablePointer(to: &out) { tuple in
            tuple.withMemoryRebound(to: UInt32.self, capacity: 4) { ccpuid_cpuid(leaf, subleaf, $0) }
        }
        return Registers(eax: out.0, ebx: out.1, ecx: out.2, edx: out.3)
    }
}
