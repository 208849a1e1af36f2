import CPUID

/// The facts about the host that KVM reads besides capability words, answered from the kernel view where
/// it knows them and otherwise inferred from raw CPUID by the rules written here (each marked as inferred).
///
/// Keeping every inference in this one type lets a reader see, and correct, what the model assumes.
public struct KVMHostFacts: Sendable {
    public var raw: Snapshot
    public var kernel: any KVMHostKernelView

    public init(raw: Snapshot, kernel: any KVMHostKernelView) {
        self.raw = raw
        self.kernel = kernel
    }

    public var vendor: CPUVendor { raw.cpuVendor }

    var isAMDLike: Bool { vendor.followsAMD }

    /// A fact with the words that justify it, so rule traces can quote them.
    public struct Answer: Sendable {
        public var value: Bool
        public var basis: String
    }

    /// `boot_cpu_has(X86_FEATURE_<macro>)`: the kernel view's answer, else an inference from raw CPUID.
    public func has(_ macro: String) -> Answer {
        if let known = kernel.hasFeature(macro) {
            return Answer(value: known, basis: "host kernel \(known ? "has" : "lacks") \(macro)")
        }
        if let inferred = inferredFeature(macro) { return inferred }
        return Answer(value: false, basis: "\(macro) is unknown to the host kernel view and the model (taken as absent)")
    }

    /// `boot_cpu_has_bug(X86_BUG_<name>)`.
    public func bug(_ name: String) -> Answer {
        if let known = kernel.hasBug(name) {
            return Answer(value: known, basis: "host kernel \(known ? "sets" : "does not set") bug \(name)")
        }
        return inferredBug(name)
    }

    /// The raw register bit with CPUID's own out-of-range behaviour.
    func rawBit(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register, _ bit: Int) -> Bool {
        raw.value(leaf, subleaf, register) & (1 << UInt32(bit)) != 0
    }

    /// Synthetic (Linux-defined) features the kernel sets from other bits [inferred, after
    /// arch/x86/kernel/cpu/common.c init_speculation_control() and the vendor init code].
    func inferredFeature(_ macro: String) -> Answer? {
        let intelSpecCtrl = rawBit(7, 0, .edx, 26)
        switch macro {
        case "IBPB":
            let value = intelSpecCtrl || rawBit(0x8000_0008, 0, .ebx, 12)
            return Answer(value: value, basis: "IBPB inferred from SPEC_CTRL (7.0 EDX[26]) or AMD_IBPB (0x80000008 EBX[12])")
        case "IBRS":
            let value = intelSpecCtrl || rawBit(0x8000_0008, 0, .ebx, 14)
            return Answer(value: value, basis: "IBRS inferred from SPEC_CTRL (7.0 EDX[26]) or AMD_IBRS (0x80000008 EBX[14])")
        case "STIBP":
            let value = rawBit(7, 0, .edx, 27) || rawBit(0x8000_0008, 0, .ebx, 15)
            return Answer(value: value, basis: "STIBP inferred from 7.0 EDX[27] or AMD_STIBP (0x80000008 EBX[15])")
        case "SSBD":
            let value = rawBit(7, 0, .edx, 31) || rawBit(0x8000_0008, 0, .ebx, 24)
            return Answer(value: value, basis: "SSBD inferred from 7.0 EDX[31] or AMD_SSBD (0x80000008 EBX[24])")
        case "LS_CFG_SSBD":
            let family = raw.signature.family
            let value = isAMDLike && (0x15...0x17).contains(family) && !rawBit(0x8000_0008, 0, .ebx, 24)
            return Answer(value: value, basis: "LS_CFG_SSBD inferred: AMD family 15h-17h without AMD_SSBD")
        case "LFENCE_RDTSC":
            let value = rawBit(1, 0, .edx, 26) || rawBit(0x8000_0021, 0, .eax, 2)
            return Answer(value: value, basis: "LFENCE_RDTSC inferred: Linux makes LFENCE serializing on SSE2 CPUs")
        case "OSPKE":
            let value = rawBit(7, 0, .ecx, 3) && rawBit(7, 0, .ecx, 4)
            return Answer(value: value, basis: "OSPKE inferred from PKU and OSPKE in the dump (7.0 ECX[3], ECX[4])")
        case "SPEC_CTRL":
            return Answer(value: intelSpecCtrl, basis: "SPEC_CTRL read from 7.0 EDX[26]")
        case "PERFCTR_CORE":
            let value = rawBit(0x8000_0001, 0, .ecx, 23)
            return Answer(value: value, basis: "PERFCTR_CORE read from 0x80000001 ECX[23]")
        case "PERFMON_V2":
            let value = raw.maxExtendedLeaf >= 0x8000_0022 && rawBit(0x8000_0022, 0, .eax, 0)
            return Answer(value: value, basis: "PERFMON_V2 read from 0x80000022 EAX[0]")
        default:
            return nil
        }
    }

    /// Bug flags [inferred, after arch/x86/kernel/cpu/common.c and bugs.c].
    func inferredBug(_ name: String) -> Answer {
        switch name {
        case "NULL_SEG":
            let clears = rawBit(0x8000_0021, 0, .eax, 6) || !isAMDLike || raw.signature.family >= 0x17
            return Answer(value: !clears, basis: clears
                ? "no NULL_SEG bug (inferred: Intel, or AMD with NullSelectorClearsBase or family 17h+)"
                : "NULL_SEG bug inferred for an AMD CPU before family 17h without NullSelectorClearsBase")
        case "SPEC_STORE_BYPASS":
            let immune = isAMDLike && rawBit(0x8000_0008, 0, .ebx, 26)
            return Answer(value: !immune, basis: immune
                ? "no SPEC_STORE_BYPASS bug (inferred from AMD_SSB_NO, 0x80000008 EBX[26])"
                : "SPEC_STORE_BYPASS bug inferred (no SSB_NO in CPUID; IA32_ARCH_CAPABILITIES is not in a dump)")
        case "EIBRS_PBRSB":
            let affected = vendor == .intel
            return Answer(value: affected, basis: affected
                ? "EIBRS_PBRSB bug inferred for Intel (the MSR that rules it out is not in a dump)"
                : "no EIBRS_PBRSB bug (not an Intel CPU)")
        default:
            return Answer(value: false, basis: "bug \(name) is unknown to the model (taken as absent)")
        }
    }

    /// Whether the host kernel runs 5-level paging [inferred: it does when the CPU has LA57].
    public var usesFiveLevelPaging: Answer {
        if let known = kernel.hasFeature("LA57") {
            return Answer(value: known, basis: "host kernel \(known ? "has" : "lacks") LA57")
        }
        let value = rawBit(7, 0, .ecx, 16)
        return Answer(value: value, basis: "5-level paging inferred from LA57 (7.0 ECX[16])")
    }

    /// `boot_cpu_data.x86_power`: the host's 0x80000007 EDX.
    public var power: UInt32 { raw.value(0x8000_0007, 0, .edx) }

    /// The host's physical address width, 0x80000008 EAX[7:0] (36 when the leaf is missing).
    public var physicalAddressBits: UInt32 {
        raw.maxExtendedLeaf >= 0x8000_0008 ? raw.value(0x8000_0008, 0, .eax) & 0xff : 36
    }

    /// Whether two-dimensional paging can use five levels [inferred: EPT/NPT 5-level follows LA57].
    public var fiveLevelTDP: Bool { rawBit(7, 0, .ecx, 16) }
}
