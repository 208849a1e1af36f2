import CPUID

/// One thing the kernel's CPU setup code decides from CPUID alone (vendor, family, model, other bits):
/// set a synthetic flag, clear a quirky bit, or mark a bug. The list is data; `LinuxDerivation` runs it in order.
struct SyntheticRule: Sendable {
    enum Action: Sendable {
        case set([String])
        case clear([String])
        case setBug([String])
    }

    var action: Action
    /// The kernel source and condition, in one line, quoted by explanations.
    var why: String
    /// Kernel versions that have the rule.
    var kernels: ClosedRange<KernelVersion>
    var applies: @Sendable (Run) -> Bool

    init(_ action: Action, _ why: String, kernels: ClosedRange<KernelVersion> = .any,
         _ applies: @escaping @Sendable (Run) -> Bool) {
        self.action = action
        self.why = why
        self.kernels = kernels
        self.applies = applies
    }
}

extension ClosedRange where Bound == KernelVersion {
    static let any = KernelVersion(0, 0)...KernelVersion(99, 99)
}

private func from(_ major: Int, _ minor: Int) -> ClosedRange<KernelVersion> {
    KernelVersion(major, minor)...KernelVersion(99, 99)
}

private func before(_ major: Int, _ minor: Int) -> ClosedRange<KernelVersion> {
    KernelVersion(0, 0)...KernelVersion(major, minor - 1)
}

enum SyntheticRules {
    /// The conditions under which the rules set `name` (in `kernel`, or in any kernel), in the kernel's order.
    static func conditions(setting name: String, in kernel: KernelVersion?) -> [String] {
        all.filter { rule in
            guard case let .set(names) = rule.action, names.contains(name) else { return false }
            return kernel.map { rule.kernels.contains($0.release) } ?? true
        }.map(\.why)
    }

    /// In the order the kernel runs them (common.c, then the vendor's early_init/init, then topology).
    static let all: [SyntheticRule] = common + speculation + amd + intel + centaurZhaoxin + topology + notAffected + bugs

    static let common: [SyntheticRule] = [
        SyntheticRule(.set(["CPUID"]), "common.c: the CPU executes CPUID") { _ in true },
        SyntheticRule(.set(["ALWAYS"]), "common.c: always set") { _ in true },
        SyntheticRule(.set(["NOPL"]), "common.c: always set on x86_64") { _ in true },
        SyntheticRule(.set(["OSXSAVE"]), "fpu/xstate.c: the kernel enables XSAVE in CR4 when XSAVE is usable") { run in
            run.has("XSAVE") && run.view.facts.maxBasic >= 0xD
        },
        SyntheticRule(.set(["OSPKE"]), "common.c setup_pku(): the kernel enables protection keys when PKU is present") { run in
            run.has("PKU")
        },
    ]

    /// init_speculation_control() in common.c.
    static let speculation: [SyntheticRule] = [
        SyntheticRule(.set(["IBRS", "IBPB", "MSR_SPEC_CTRL"]), "common.c: SPEC_CTRL CPUID.(EAX=07H,ECX=0):EDX[26] implies IBRS and IBPB") { run in
            run.has("SPEC_CTRL")
        },
        SyntheticRule(.set(["STIBP"]), "common.c: INTEL_STIBP CPUID.(EAX=07H,ECX=0):EDX[27]") { run in run.has("INTEL_STIBP") },
        SyntheticRule(.set(["SSBD"]), "common.c: SPEC_CTRL_SSBD CPUID.(EAX=07H,ECX=0):EDX[31] or VIRT_SSBD CPUID.(EAX=80000008H):EBX[25]") { run in
            run.has("SPEC_CTRL_SSBD") || run.has("VIRT_SSBD")
        },
        SyntheticRule(.set(["IBRS", "MSR_SPEC_CTRL"]), "common.c: AMD_IBRS CPUID.(EAX=80000008H):EBX[14]") { run in run.has("AMD_IBRS") },
        SyntheticRule(.set(["IBPB"]), "common.c: AMD_IBPB CPUID.(EAX=80000008H):EBX[12]") { run in run.has("AMD_IBPB") },
        SyntheticRule(.set(["STIBP", "MSR_SPEC_CTRL"]), "common.c: AMD_STIBP CPUID.(EAX=80000008H):EBX[15]") { run in run.has("AMD_STIBP") },
        SyntheticRule(.set(["SSBD", "MSR_SPEC_CTRL"]), "common.c: AMD_SSBD CPUID.(EAX=80000008H):EBX[24]") { run in run.has("AMD_SSBD") },
        SyntheticRule(.clear(["VIRT_SSBD"]), "common.c: AMD_SSBD supersedes VIRT_SSBD") { run in run.has("AMD_SSBD") },
    ]

    private static func amdLike(_ run: Run) -> Bool { run.view.facts.isAMDLike }
    private static func power(_ run: Run, _ bit: Int) -> Bool {
        run.view.facts.maxExtended >= 0x8000_0007 && run.view.facts.bit(0x8000_0007, 0, .edx, bit)
    }

    /// early_init_amd()/init_amd() in amd.c and their Hygon counterparts in hygon.c.
    static let amd: [SyntheticRule] = [
        SyntheticRule(.set(["K8"]), "amd.c: family >= 0xF (hygon.c: always)") { run in
            amdLike(run) && (run.view.facts.vendor == .hygon || run.view.facts.family >= 0xF)
        },
        SyntheticRule(.set(["CONSTANT_TSC", "NONSTOP_TSC"]), "amd.c: invariant TSC CPUID.(EAX=80000007H):EDX[8] = 1") { run in
            amdLike(run) && power(run, 8)
        },
        SyntheticRule(.set(["ACC_POWER"]), "amd.c: CPUID.(EAX=80000007H):EDX[12] = 1") { run in amdLike(run) && power(run, 12) },
        SyntheticRule(.set(["RAPL"]), "amd.c: CPUID.(EAX=80000007H):EDX[14] = 1") { run in amdLike(run) && power(run, 14) },
        SyntheticRule(.set(["SYSCALL32"]), "amd.c: 64-bit kernel") { run in amdLike(run) },
        SyntheticRule(.set(["EXTD_APICID"]), "amd.c: APIC present and family > 0x16 (hygon.c: APIC present)") { run in
            amdLike(run) && run.has("APIC") && (run.view.facts.vendor == .hygon || run.view.facts.family > 0x16)
        },
        SyntheticRule(.set(["VMMCALL"]), "amd.c/hygon.c: AMD hypercalls use VMMCALL") { run in amdLike(run) },
        SyntheticRule(.clear(["PBE"]), "amd.c: bit 0*32+31 has another meaning on AMD") { run in run.view.facts.vendor == .amd },
        SyntheticRule(.set(["REP_GOOD"]), "amd.c: family >= 0x10 (hygon.c: always)") { run in
            amdLike(run) && (run.view.facts.vendor == .hygon || run.view.facts.family >= 0x10)
        },
        SyntheticRule(.set(["REP_GOOD"]), "amd.c: K8 revision C+ (CPUID.01H:EAX in 0xF48-0xF4F or >= 0xF58)") { run in
            let level = run.view.facts.snapshot.value(1, 0, .eax)
            return run.view.facts.vendor == .amd && run.view.facts.family == 0xF
                && ((level >= 0x0f48 && level < 0x0f50) || level >= 0x0f58)
        },
        SyntheticRule(.set(["FSRS"]), "amd.c: FSRM implies fast short REP STOSB", kernels: from(6, 13)) { run in
            run.view.facts.vendor == .amd && run.has("FSRM")
        },
        SyntheticRule(.clear(["LAHF_LM"]), "amd.c: K8 model < 0x14 outside a hypervisor has a broken LAHF/SAHF") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0xF && f.model < 0x14 && !run.has("HYPERVISOR")
        },
        SyntheticRule(.clear(["MCE"]), "amd.c: family < 6") { run in run.view.facts.vendor == .amd && run.view.facts.family < 6 },
        SyntheticRule(.set(["ZEN"]), "amd.c: family >= 0x17 (hygon.c: family 0x18)") { run in
            (run.view.facts.vendor == .amd && run.view.facts.family >= 0x17)
                || (run.view.facts.vendor == .hygon && run.view.facts.family == 0x18)
        },
        SyntheticRule(.set(["ZEN1"]), "amd.c bsp_init: family 0x17 models 0x00-0x2F, 0x50-0x5F") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x17 && (f.model <= 0x2F || (0x50...0x5F).contains(f.model))
        },
        SyntheticRule(.set(["ZEN2"]), "amd.c bsp_init: family 0x17 models 0x30-0x4F, 0x60-0x7F, 0x90-0x91, 0xA0-0xAF") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x17
                && ((0x30...0x4F).contains(f.model) || (0x60...0x7F).contains(f.model)
                    || (0x90...0x91).contains(f.model) || (0xA0...0xAF).contains(f.model))
        },
        SyntheticRule(.set(["ZEN3"]), "amd.c bsp_init: family 0x19 models 0x00-0x0F, 0x20-0x5F") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x19 && (f.model <= 0x0F || (0x20...0x5F).contains(f.model))
        },
        SyntheticRule(.set(["ZEN4"]), "amd.c bsp_init: family 0x19 models 0x10-0x1F, 0x60-0xAF") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x19 && ((0x10...0x1F).contains(f.model) || (0x60...0xAF).contains(f.model))
        },
        SyntheticRule(.set(["ZEN5"]), "amd.c bsp_init: family 0x1A models 0x00-0x4F, 0x60-0x7F") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x1A && (f.model <= 0x4F || (0x60...0x7F).contains(f.model))
        },
        SyntheticRule(.set(["ZEN6"]), "amd.c bsp_init: family 0x1A models 0x50-0x5F, 0x80-0xFF") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x1A && ((0x50...0x5F).contains(f.model) || (0x80...0xFF).contains(f.model))
        },
        SyntheticRule(.clear(["IRPERF"]), "amd.c: Zen1 erratum 1054, family 0x17 model < 0x30") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x17 && f.model < 0x30
        },
        SyntheticRule(.set(["CPB"]), "amd.c: Zen1 erratum 1076, CPB not enumerated on bare metal", kernels: from(6, 8)) { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x17 && (f.model <= 0x2F || (0x50...0x5F).contains(f.model))
                && !run.has("HYPERVISOR")
        },
        SyntheticRule(.clear(["RDSEED"]), "amd.c: Zen2 family 0x17 model 0x47 stepping 0 RDSEED erratum") { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x17 && f.model == 0x47 && f.stepping == 0
        },
        SyntheticRule(.set(["LS_CFG_SSBD", "SSBD"]), "amd.c/hygon.c bsp_init: family 0x15-0x17 (Hygon: all) without AMD_SSBD or VIRT_SSBD, SSBD through LS_CFG (bare metal, where the MSR reads)") { run in
            let f = run.view.facts
            guard !run.has("AMD_SSBD"), !run.has("VIRT_SSBD"), !run.has("HYPERVISOR") else { return false }
            return (f.vendor == .amd && (0x15...0x17).contains(f.family)) || f.vendor == .hygon
        },
        SyntheticRule(.set(["LFENCE_RDTSC"]), "amd.c: LFENCE made serializing when SSE2 is present") { run in
            amdLike(run) && run.has("XMM2")
        },
        SyntheticRule(.set(["ARAT"]), "amd.c: family > 0x11 (hygon.c: always)") { run in
            amdLike(run) && (run.view.facts.vendor == .hygon || run.view.facts.family > 0x11)
        },
        SyntheticRule(.set(["3DNOWPREFETCH"]), "amd.c: 3DNow or long mode implies PREFETCHW") { run in
            run.view.facts.vendor == .amd && (run.has("3DNOW") || run.has("LM"))
        },
    ]

    private static func intel(_ run: Run) -> Bool { run.view.facts.vendor == .intel }

    /// early_init_intel()/init_intel() in intel.c.
    static let intel: [SyntheticRule] = [
        SyntheticRule(.set(["CONSTANT_TSC"]), "intel.c: family 0xF model >= 3, or family 6 model >= 0xE") { run in
            let f = run.view.facts
            return intel(run) && ((f.family == 0xF && f.model >= 3) || (f.family == 6 && f.model >= 0xE))
        },
        SyntheticRule(.set(["CONSTANT_TSC", "NONSTOP_TSC"]), "intel.c: invariant TSC CPUID.(EAX=80000007H):EDX[8] = 1") { run in
            intel(run) && power(run, 8)
        },
        SyntheticRule(.set(["SYSENTER32"]), "intel.c: 64-bit kernel") { run in intel(run) },
        SyntheticRule(.set(["SYSFAST32"]), "common.c get_cpu_cap: every 64-bit kernel (cleared again when FRED is used)",
                      kernels: from(7, 0)) { _ in true },
        SyntheticRule(.set(["REP_GOOD"]), "intel.c: fast strings (family 6 model >= 0xD or family 0xF)") { run in
            let f = run.view.facts
            return intel(run) && ((f.family == 6 && f.model >= 0xD) || f.family == 0xF)
        },
        SyntheticRule(.set(["ARCH_PERFMON"]), "intel.c: CPUID.0AH:EAX version > 0 with more than one counter") { run in
            let f = run.view.facts
            guard intel(run), f.maxBasic > 9 else { return false }
            let eax = f.snapshot.value(0xA, 0, .eax)
            return eax & 0xff != 0 && (eax >> 8) & 0xff > 1
        },
    ]

    /// centaur.c and zhaoxin.c.
    static let centaurZhaoxin: [SyntheticRule] = [
        SyntheticRule(.set(["CONSTANT_TSC", "NONSTOP_TSC"]), "centaur.c/zhaoxin.c: invariant TSC CPUID.(EAX=80000007H):EDX[8] = 1") { run in
            (run.view.facts.vendor == .centaur || run.view.facts.vendor == .zhaoxin) && power(run, 8)
        },
        SyntheticRule(.set(["REP_GOOD", "SYSENTER32", "LFENCE_RDTSC"]), "zhaoxin.c: all Zhaoxin CPUs") { run in
            run.view.facts.vendor == .zhaoxin
        },
        SyntheticRule(.set(["REP_GOOD", "SYSENTER32", "LFENCE_RDTSC"]), "centaur.c: family 6 and later") { run in
            run.view.facts.vendor == .centaur && run.view.facts.family >= 6
        },
        SyntheticRule(.set(["ARCH_PERFMON"]), "centaur.c/zhaoxin.c: CPUID.0AH:EAX version > 0 with more than one counter") { run in
            let f = run.view.facts
            guard (f.vendor == .centaur || f.vendor == .zhaoxin), f.maxBasic > 9 else { return false }
            let eax = f.snapshot.value(0xA, 0, .eax)
            return eax & 0xff != 0 && (eax >> 8) & 0xff > 1
        },
    ]

    /// Whether leaf 0xB/0x1F/0x80000026 subleaf 0 describes a valid topology level (topology_ext.c).
    private static func topologyLeafParses(_ facts: CPUFacts, _ leaf: UInt32) -> Bool {
        guard let r = facts.snapshot.registers(leaf, 0) else { return false }
        let type = (r.ecx >> 8) & 0xff
        return r.ebx & 0xffff != 0 && type != 0
    }

    static let topology: [SyntheticRule] = [
        SyntheticRule(.set(["XTOPOLOGY"]), "topology: leaf 0x1F, 0x80000026 or 0xB subleaf 0 enumerates a topology level") { run in
            let f = run.view.facts
            if f.maxBasic >= 0x1F && topologyLeafParses(f, 0x1F) { return true }
            if run.view.kernel.version >= KernelVersion(6, 10), f.maxExtended >= 0x8000_0026,
               topologyLeafParses(f, 0x8000_0026) { return true }
            return f.maxBasic >= 0xB && topologyLeafParses(f, 0xB)
        },
        SyntheticRule(.set(["AMD_DCM"]), "topology_amd.c: CPUID.(EAX=8000001EH):ECX[10:8] reports more than one node per package") { run in
            let f = run.view.facts
            return amdLike(run) && run.has("TOPOEXT") && f.maxExtended >= 0x8000_001E
                && (f.snapshot.value(0x8000_001E, 0, .ecx) >> 8) & 0x7 != 0
        },
    ]

    private static func family(_ run: Run) -> UInt32 { run.view.facts.family }

    /// Vendor quirks that decide "not affected" bits from CPUID alone (amd.c).
    static let notAffected: [SyntheticRule] = [
        SyntheticRule(.set(["BTC_NO"]), "amd.c: Zen3 on bare metal predates the BTC_NO bit") { run in
            run.view.facts.vendor == .amd && run.has("ZEN3") && !run.has("HYPERVISOR")
        },
        SyntheticRule(.set(["TSA_SQ_NO", "TSA_L1_NO"]), "amd.c tsa_init(): bare-metal AMD parts other than Zen3/Zen4") { run in
            run.view.facts.vendor == .amd && !run.has("HYPERVISOR") && !run.has("ZEN3") && !run.has("ZEN4")
        },
    ]

    /// Vendor bug flags of amd.c/hygon.c/common.c outside cpu_set_bug_bits() (that function's bugs are
    /// `BugRules`, evaluated after these rules).
    static let bugs: [SyntheticRule] = [
        SyntheticRule(.setBug(["DIV0"]), "amd.c init_amd_zen1()/erratum table: Zen1, family 0x17 models 0x00-0x2F, 0x50-0x5F",
                      kernels: from(6, 5)) { run in
            let f = run.view.facts
            return f.vendor == .amd && f.family == 0x17 && (f.model <= 0x2F || (0x50...0x5F).contains(f.model))
        },
        SyntheticRule(.setBug(["SYSRET_SS_ATTRS"]), "amd.c/hygon.c: SYSRET does not fix SS attributes on AMD") { run in amdLike(run) },
        SyntheticRule(.setBug(["FXSAVE_LEAK"]), "amd.c: family >= 6 without XSAVEERPTR") { run in
            run.view.facts.vendor == .amd && run.view.facts.family >= 6 && !run.has("XSAVEERPTR")
        },
        SyntheticRule(.setBug(["NULL_SEG"]), "common.c: AMD/Hygon without NULL_SEL_CLR_BASE CPUID.(EAX=80000021H):EAX[6], on a hypervisor or outside family 0x17/0x18") { run in
            let f = run.view.facts
            guard amdLike(run), !(f.maxExtended >= 0x8000_0021 && f.bit(0x8000_0021, 0, .eax, 6)) else { return false }
            return run.has("HYPERVISOR") || !(f.family == 0x17 || f.family == 0x18)
        },
    ]
}
