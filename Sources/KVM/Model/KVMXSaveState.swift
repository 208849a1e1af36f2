import CPUID

/// The XSAVE feature sets leaf 0xD is built from: which state components KVM may offer in XCR0 and
/// IA32_XSS, and the save-area sizes computed from the host's leaf 0xD, as xstate_required_size() does.
struct KVMXSaveState {
    /// KVM_SUPPORTED_XCR0: x87, SSE, AVX, MPX (2), AVX-512 (3), PKRU, AMX tile config and data.
    static let kvmSupportedXCR0: UInt64 = 0x1 | 0x2 | 0x4 | 0x18 | 0xE0 | 0x200 | 0x20000 | 0x40000
    static let xtileConfig: UInt64 = 1 << 17
    static let xtileData: UInt64 = 1 << 18
    /// CET user and supervisor state, the IA32_XSS components KVM offers from 6.18.
    static let cetStates: UInt64 = (1 << 11) | (1 << 12)

    let permittedXCR0: UInt64
    let permittedXSS: UInt64
    let reasons: [String]

    /// What Linux itself enables in XCR0, by the feature each state belongs to [inferred from
    /// arch/x86/kernel/fpu/xstate.c: MPX is not enabled since 5.6; the rest follow their CPU feature].
    static func hostXCR0(_ host: KVMHostFacts) -> (UInt64, [String]) {
        let cpu = UInt64(host.raw.value(0xD, 0, .eax)) | (UInt64(host.raw.value(0xD, 0, .edx)) << 32)
        guard host.has("XSAVE").value else { return (0, ["the host kernel does not use XSAVE: XCR0 is 0"]) }
        var enabled: UInt64 = 0x3
        var reasons = ["host XCR0 starts with x87 and SSE"]
        let groups: [(String, UInt64)] = [("AVX", 0x4), ("AVX512F", 0xE0), ("OSPKE", 0x200), ("AMX_TILE", 0x60000)]
        for (macro, bits) in groups {
            let answer = host.has(macro)
            if answer.value { enabled |= bits }
            reasons.append("\(answer.basis): states \(Hex.word(UInt32(truncatingIfNeeded: bits))) \(answer.value ? "enabled" : "not enabled")")
        }
        reasons.append("MPX states are not enabled by Linux since 5.6")
        return (enabled & cpu, reasons)
    }

    init(profile: KVMKernelProfile, module: KVMModuleOptions, host: KVMHostFacts, caps: KVMCapabilities) {
        let (hostXCR0, hostReasons) = Self.hostXCR0(host)
        var reasons = hostReasons
        var xcr0 = hostXCR0 & Self.kvmSupportedXCR0
        reasons.append("kvm_caps.supported_xcr0 = host XCR0 & KVM_SUPPORTED_XCR0 = 0x\(String(xcr0, radix: 16))")
        if xcr0 & Self.xtileData != 0 {
            xcr0 &= ~Self.xtileData
            reasons.append("AMX tile data needs the process's ARCH_REQ_XCOMP_GUEST_PERM (assumed not requested): removed")
            if profile.leaves.dropsTileConfigWithTileData {
                xcr0 &= ~Self.xtileConfig
                reasons.append("without tile data, tile config is removed too (kvm_get_filtered_xcr0)")
            }
        }
        var xss: UInt64 = 0
        if profile.leaves.offersCETStates, module.module != .kvmPVM {
            let cpuXSS = UInt64(host.raw.value(0xD, 1, .ecx)) | (UInt64(host.raw.value(0xD, 1, .edx)) << 32)
            let shstk = host.has("SHSTK").value
            if shstk, caps.has(.cpuid_7_ECX, bit: 7) || caps.has(.cpuid_7_EDX, bit: 20) {
                xss = cpuXSS & Self.cetStates
                reasons.append("IA32_XSS: CET states offered with SHSTK/IBT (host XSS inferred from 0xD.1 ECX)")
            } else {
                reasons.append("IA32_XSS: nothing offered (no SHSTK/IBT in KVM's caps)")
            }
        } else {
            reasons.append("IA32_XSS: kvm_caps.supported_xss = 0 in this kernel/module")
        }
        permittedXCR0 = xcr0
        permittedXSS = xss
        self.reasons = reasons
    }

    /// xstate_required_size(): the XSAVE area for `features`, standard or compacted layout, from the host's
    /// per-component sizes (0xD.i EAX), offsets (EBX) and 64-byte alignment flags (ECX[1]).
    static func requiredSize(_ features: UInt64, compacted: Bool, host: Snapshot) -> UInt32 {
        var size: UInt32 = 512 + 64
        var bits = features & ~0x3
        var index: UInt32 = 0
        while bits != 0 {
            if bits & 1 != 0 {
                let registers = host.registers(0xD, index) ?? .zero
                let offset: UInt32
                if compacted {
                    offset = registers.ecx & 0x2 != 0 ? (size + 63) & ~63 : size
                } else {
                    offset = registers.ebx
                }
                size = max(size, offset &+ registers.eax)
            }
            bits >>= 1
            index += 1
        }
        return size
    }
}

/// Leaf 0xD.
extension KVMSupportedTableBuilder {
    mutating func leafD(_ key: LeafKey) {
        let state = KVMXSaveState(profile: profile, module: module, host: host, caps: caps)
        let xcr0 = state.permittedXCR0
        let xss = state.permittedXSS
        let why = state.reasons.joined(separator: "; ")
        assign(key, .eax, value(key, .eax) & UInt32(truncatingIfNeeded: xcr0),
               rule: .leaf(0xD, "EAX &= permitted XCR0 (0x\(String(xcr0, radix: 16))): \(why)"))
        assign(key, .edx, value(key, .edx) & UInt32(truncatingIfNeeded: xcr0 >> 32),
               rule: .leaf(0xD, "EDX &= permitted XCR0 >> 32"))
        let size = KVMXSaveState.requiredSize(xcr0, compacted: false, host: host.raw)
        assign(key, .ebx, size, rule: .leaf(0xD, "EBX = xstate_required_size(permitted XCR0) = \(size)"))
        assign(key, .ecx, size, rule: .leaf(0xD, "ECX = EBX"))
        guard xcr0 != 0 else { return }

        let one = hostEntry(0xD, 1)
        override(one, with: .cpuid_D_1_EAX)
        if value(one, .eax) & 0xA != 0 {
            let compacted = KVMXSaveState.requiredSize(xcr0 | xss, compacted: true, host: host.raw)
            assign(one, .ebx, compacted,
                   rule: .leaf(0xD, "EBX = compacted xstate_required_size(XCR0 | XSS) = \(compacted) (XSAVES or XSAVEC offered)"))
        } else {
            assign(one, .ebx, 0, rule: .leaf(0xD, "EBX = 0 (neither XSAVES nor XSAVEC offered)"))
        }
        assign(one, .ecx, value(one, .ecx) & UInt32(truncatingIfNeeded: xss),
               rule: .leaf(0xD, "ECX &= permitted XSS (0x\(String(xss, radix: 16)))"))
        assign(one, .edx, value(one, .edx) & UInt32(truncatingIfNeeded: xss >> 32),
               rule: .leaf(0xD, "EDX &= permitted XSS >> 32"))

        for index in UInt32(2)..<64 {
            let bit = UInt64(1) << UInt64(index)
            let supervisor: Bool
            if xcr0 & bit != 0 {
                supervisor = false
            } else if xss & bit != 0 {
                supervisor = true
            } else {
                continue
            }
            let registers = host.raw.registers(0xD, index) ?? .zero
            if registers.eax == 0 || (registers.ecx & 1 != 0) != supervisor {
                note("0xD.\(index) is skipped: the host reports no size or the wrong XCR0/XSS kind")
                continue
            }
            let sub = hostEntry(0xD, index)
            keep(sub, .eax, rule: .leaf(0xD, "state component \(index) size passed through"))
            keep(sub, .ebx, rule: .leaf(0xD, "state component \(index) offset passed through"))
            if profile.leaves.clearsXFDFlagWithoutXFD, !caps.has(.cpuid_D_1_EAX, bit: 4) {
                assign(sub, .ecx, value(sub, .ecx) & ~0x4, mask: 0x4,
                       rule: .leaf(0xD, "ECX[2] (XFD-capable) cleared: KVM's caps lack XFD"))
            }
            assign(sub, .edx, 0, rule: .leaf(0xD, "EDX = 0"))
        }
    }
}
