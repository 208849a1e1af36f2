import CPUID
import X86Features

/// Predicts KVM's feature MSRs on /dev/kvm per release and module: the index list kvm_init_msr_lists()
/// builds (the MSRs whose kvm_get_feature_msr() read succeeds) and each value, ARCH_CAPABILITIES bit by bit
/// after kvm_get_arch_capabilities() (arch/x86/kvm/x86.c of each carried release).
public enum KVMFeatureMSRModel {
    /// The host's IA32_ARCH_CAPABILITIES as the kernel reads it: 0 when CPUID does not enumerate it
    /// (7.0:EDX[29]), the sampled value when a dump carries it, else unknown.
    public static func hostArchCapabilities(_ host: Snapshot) -> (value: UInt64?, basis: String) {
        guard host.isSet(CPUIDField(0x7, 0, .edx, bit: 29)) else {
            return (0, "the host's CPUID lacks ARCH_CAPABILITIES (7.0:EDX[29]), so Linux reads the MSR as 0")
        }
        switch host.msr(FeatureMSRBits.archCapabilities) {
        case let .value(bits)?: return (bits, "the host's IA32_ARCH_CAPABILITIES is \(Hex.quad(bits))")
        case .faulted?: return (0, "reading the host's IA32_ARCH_CAPABILITIES faulted")
        case nil: return (nil, "the host's IA32_ARCH_CAPABILITIES was not read (no MSR in the input; /dev/cpu/N/msr needs the msr module)")
        }
    }

    /// KVM_SUPPORTED_ARCH_CAP: the host bits KVM passes through, per release (nil: every bit, before 6.1).
    static func supportedArchCapabilities(_ release: KernelVersion) -> (mask: UInt64?, citation: String) {
        let base: [Int] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 17, 19, 24]
        var bits = base
        if release >= KernelVersion(6, 6) { bits += [26] }
        if release >= KernelVersion(6, 12) { bits += [20, 27, 28] }
        if release >= KernelVersion(6, 18) { bits += [62] }
        if release < KernelVersion(6, 1) { return (nil, "Linux \(release) passes every host bit (no KVM_SUPPORTED_ARCH_CAP before 6.1)") }
        return (bits.reduce(UInt64(0)) { $0 | 1 << UInt64($1) }, "KVM_SUPPORTED_ARCH_CAP of Linux \(release)")
    }

    /// The feature MSRs in the order KVM lists them, each with its value and rules.
    public static func predict(host: Snapshot, hostKernel: any KVMHostKernelView, kernel: KernelVersion,
                               module: KVMModuleOptions) -> [KVMFeatureMSRPrediction] {
        let facts = KVMHostFacts(raw: host, kernel: hostKernel)
        let release = kernel.release
        var result: [KVMFeatureMSRPrediction] = []
        if module.module == .kvmIntel && module.nested {
            result += vmxIndices(release).map { index in
                KVMFeatureMSRPrediction(index: index, name: FeatureMSRNames.name(of: index),
                    listedBecause: "kvm_intel with nested=1 offers the nested VMX capability MSRs",
                    decidedMask: 0, value: 0, bits: [],
                    valueRule: "nested VMX capabilities (nested_vmx_setup_ctls_msrs): not modelled by vcpuid")
            }
        }
        if module.module == .kvmAMD {
            let lfence = facts.has("LFENCE_RDTSC")
            result.append(KVMFeatureMSRPrediction(index: 0xC001_1029, name: "AMD64_DE_CFG",
                listedBecause: "svm_get_feature_msr() answers DE_CFG", decidedMask: .max, value: lfence.value ? 0x2 : 0,
                bits: [], valueRule: "LFENCE_SERIALIZE (bit 1) when the host has LFENCE_RDTSC (\(lfence.basis))"))
        }
        result.append(microcodeRevision(host, module: module))
        result.append(archCapabilities(facts, release: release))
        if let perf = perfCapabilities(release, module: module) { result.append(perf) }
        if release >= KernelVersion(6, 18) {
            result.append(KVMFeatureMSRPrediction(index: FeatureMSRBits.platformInfo, name: "MSR_PLATFORM_INFO",
                listedBecause: "Linux \(release) lists PLATFORM_INFO among the feature MSRs (6.18)",
                decidedMask: .max, value: 1 << 31, bits: [],
                valueRule: "kvm_get_feature_msr() answers CPUID_FAULT (bit 31): KVM emulates CPUID faulting"))
        }
        return result
    }

    /// The VMX capability MSRs in the list's order (before 6.6 the array msr_based_features_all, from 6.6 the
    /// range KVM_FIRST_EMULATED_VMX_MSR..KVM_LAST_EMULATED_VMX_MSR).
    static func vmxIndices(_ release: KernelVersion) -> [UInt32] {
        if release >= KernelVersion(6, 6) { return Array(0x480...0x491) }
        return [0x480, 0x48D, 0x481, 0x48E, 0x482, 0x48F, 0x483, 0x490, 0x484, 0x485, 0x486, 0x487, 0x488, 0x489,
                0x48A, 0x48B, 0x48C, 0x491]
    }

    static func microcodeRevision(_ host: Snapshot, module: KVMModuleOptions) -> KVMFeatureMSRPrediction {
        let sampled = host.msr(FeatureMSRBits.microcodeRevision)?.bits
        return KVMFeatureMSRPrediction(index: FeatureMSRBits.microcodeRevision, name: "IA32_UCODE_REV",
            listedBecause: "kvm_get_feature_msr() reads UCODE_REV from the host", decidedMask: sampled == nil ? 0 : .max,
            value: sampled ?? 0, bits: [],
            valueRule: sampled.map { "the host's RDMSR 0x8B (\(Hex.quad($0)) in the input)" }
                ?? "the host's RDMSR 0x8B, which the input does not carry")
    }

    /// PERF_CAPABILITIES: from 6.2 x86.c answers kvm_caps.supported_perf_cap (0 without a PMU KVM can
    /// virtualize, as on svm and PVM); before, only the vendor hook, which svm and PVM refuse.
    static func perfCapabilities(_ release: KernelVersion, module: KVMModuleOptions) -> KVMFeatureMSRPrediction? {
        let name = "IA32_PERF_CAPABILITIES"
        switch module.module {
        case .kvmIntel:
            return KVMFeatureMSRPrediction(index: FeatureMSRBits.perfCapabilities, name: name,
                listedBecause: "kvm_intel answers PERF_CAPABILITIES", decidedMask: module.enablePMU ? 0 : .max, value: 0, bits: [],
                valueRule: module.enablePMU
                    ? "vmx_get_perf_capabilities(): the host's LBR format, PEBS and full-width writes KVM virtualizes (host MSR 0x345; not modelled)"
                    : "enable_pmu=0: KVM supports no PERF_CAPABILITIES bit")
        case .kvmAMD, .kvmPVM:
            guard release >= KernelVersion(6, 2) else { return nil }
            return KVMFeatureMSRPrediction(index: FeatureMSRBits.perfCapabilities, name: name,
                listedBecause: "Linux \(release) x86.c answers PERF_CAPABILITIES itself (6.2)", decidedMask: .max, value: 0,
                bits: [], valueRule: "kvm_caps.supported_perf_cap is 0 for \(module.module.rawValue)")
        }
    }

    /// kvm_get_arch_capabilities(), bit by bit.
    static func archCapabilities(_ facts: KVMHostFacts, release: KernelVersion) -> KVMFeatureMSRPrediction {
        let (hostValue, hostBasis) = hostArchCapabilities(facts.raw)
        let (mask, maskCitation) = supportedArchCapabilities(release)
        var bits: [Int: KVMFeatureMSRPrediction.Bit] = [:]
        func label(_ n: Int) -> String? { FeatureMSRBits.bit(FeatureMSRBits.archCapabilities, covering: n)?.label }
        func put(_ n: Int, _ value: Bool?, _ rule: String) {
            bits[n] = .init(number: n, label: label(n), value: value, rule: rule)
        }
        // 1. The host's bits, masked.
        for n in 0..<64 {
            let passes = mask.map { $0 & (1 << UInt64(n)) != 0 } ?? true
            guard passes else { continue }
            if let hostValue {
                let set = hostValue & (1 << UInt64(n)) != 0
                if set || label(n) != nil || mask != nil {
                    put(n, set, "passed through from the host (\(maskCitation)); \(hostBasis)")
                }
            } else {
                put(n, nil, "passed through from the host (\(maskCitation)); \(hostBasis)")
            }
        }
        if mask != nil, let hostValue {
            for n in 0..<64 where hostValue & (1 << UInt64(n)) != 0 && bits[n] == nil {
                put(n, false, "the host sets it, but \(maskCitation) does not pass it")
            }
        }
        // 2. Synthesized bits.
        put(6, true, "kvm_get_arch_capabilities() always sets PSCHANGE_MC_NO: KVM's iTLB-multihit handling makes the guest immune")
        put(3, true, "SKIP_VMENTRY_L1DFLUSH is set unless the L1D-flush mode is 'never' (l1tf_vmx_mitigation, default auto)")
        func synthesize(_ n: Int, noBug bug: String) {
            let answer = facts.bugAnswer(bug)
            let prior = bits[n]
            switch answer.value {
            case false?:
                put(n, true, "set because the host kernel has no \(bug.lowercased()) bug (\(answer.basis))")
            case true?:
                put(n, prior?.value ?? (hostValue == nil ? nil : false),
                    (prior?.rule ?? "not passed from the host") + "; not synthesized: the host has the \(bug.lowercased()) bug")
            case nil where prior?.value != true:
                put(n, nil, "set only if the host kernel lacks the \(bug.lowercased()) bug, which is undecided (\(answer.basis))")
            case nil:
                break
            }
        }
        synthesize(0, noBug: "CPU_MELTDOWN")
        synthesize(4, noBug: "SPEC_STORE_BYPASS")
        synthesize(5, noBug: "MDS")
        if release >= KernelVersion(6, 12) { synthesize(27, noBug: "RFDS") }
        if release >= KernelVersion(6, 18) { synthesize(62, noBug: "ITS") }
        // 3. TAA_NO follows RTM and the taa bug (5.10 also drops TSX_CTRL_MSR without RTM).
        let rtm = facts.has("RTM")
        if !rtm.value {
            put(8, false, "cleared: the host has no RTM (\(rtm.basis))")
            if release < KernelVersion(5, 15) { put(7, false, "Linux \(release) clears TSX_CTRL_MSR when the host has no RTM") }
        } else {
            let taa = facts.bugAnswer("TAA")
            if taa.value == false { put(8, true, "set: the host has RTM and no taa bug (\(taa.basis))") }
            else if taa.value == nil, bits[8]?.value != true { put(8, nil, "set only if the host has no taa bug, which the input does not decide") }
        }
        // 4. GDS_NO (6.6): no gds bug, or the GDS microcode mitigation is on.
        if release >= KernelVersion(6, 6) {
            let gds = facts.bugAnswer("GDS")
            switch gds.value {
            case false?: put(26, true, "set because the host kernel has no gds bug (\(gds.basis))")
            case true?:
                let ctrl = hostValue.map { $0 & (1 << 25) != 0 }
                if ctrl == true { put(26, true, "set: the host has the gds bug, but GDS_CTRL lets the microcode mitigation run (gds_ucode_mitigated)") }
                else if ctrl == nil { put(26, nil, "set only if the GDS microcode mitigation is on, which needs the host's GDS_CTRL (not read)") }
            case nil: if bits[26]?.value != true { put(26, nil, "set only if the host kernel lacks the gds bug, which the input does not decide") }
            }
        }
        let ordered = bits.values.sorted { $0.number < $1.number }
        var decided: UInt64 = .max
        var value: UInt64 = 0
        for bit in ordered {
            let m = UInt64(1) << UInt64(bit.number)
            switch bit.value {
            case true?: value |= m
            case false?: break
            case nil: decided &= ~m
            }
        }
        return KVMFeatureMSRPrediction(index: FeatureMSRBits.archCapabilities, name: "IA32_ARCH_CAPABILITIES",
            listedBecause: "kvm_get_feature_msr() answers ARCH_CAPABILITIES on every host (KVM emulates the MSR)",
            decidedMask: decided, value: value, bits: ordered,
            valueRule: "kvm_get_arch_capabilities(): the host's bits within \(maskCitation), plus the bits KVM synthesizes")
    }
}

extension KVMHostFacts {
    /// `boot_cpu_has_bug()` as the kernel view knows it, nil when neither the view nor an inference decides it.
    func bugAnswer(_ name: String) -> (value: Bool?, basis: String) {
        if let known = kernel.hasBug(name) {
            return (known, "host kernel \(known ? "sets" : "does not set") bug \(name.lowercased())")
        }
        if let reason = kernel.undecidedBug(name) { return (nil, reason) }
        let msrDecided: Set<String> = ["CPU_MELTDOWN", "MDS", "RFDS", "ITS", "GDS", "TAA"]
        if msrDecided.contains(name) {
            if isAMDLike {
                return (false, "no \(name.lowercased()) bug: AMD and Hygon are whitelisted or outside Intel's model tables (common.c)")
            }
            return (nil, "\(name.lowercased()) depends on Intel's model tables and the host's IA32_ARCH_CAPABILITIES")
        }
        let inferred = inferredBug(name)
        return (inferred.value, inferred.basis)
    }
}
