import CPUID

/// Leaf 0x12 (SGX), as every modelled kernel does it: subleaf 0 EAX replaced by KVM's CPUID_12_EAX word,
/// EBX limited to MISCSELECT.EXINFO, ECX/EDX (maximum enclave sizes) passed through; subleaf 1 EAX limited
/// to the privileged and unprivileged attribute masks, EBX 0, ECX/EDX (XFRM) passed through; no EPC
/// subleaves; and only an all-zero subleaf 0 when KVM's caps lack SGX.
extension KVMSupportedTableBuilder {
    /// SGX_MISC_EXINFO: the only MISCSELECT bit KVM lets through.
    static let sgxMiscExinfo: UInt32 = 0x1
    /// SGX_ATTR_ASYNC_EXIT_NOTIFY (AEX-Notify), in KVM's mask from 6.2.
    static let sgxAttributeAEXNotify: UInt32 = 0x400

    mutating func leaf12(_ key: LeafKey) {
        guard caps.has(.cpuid_7_0_EBX, bit: 2) else {
            let why = caps.trace(.cpuid_7_0_EBX, bit: 2)?.steps.last ?? "KVM's caps lack SGX"
            zeroLeaf(key, because: "KVM's caps lack SGX (\(why)); no other subleaf is reported")
            return
        }
        override(key, with: .cpuid_12_EAX)
        let misc = value(key, .ebx)
        assign(key, .ebx, misc & Self.sgxMiscExinfo, rule: .leaf(0x12, "EBX &= SGX_MISC_EXINFO (bit 0): MISCSELECT other than EXINFO is not offered"))
        keep(key, .ecx, rule: .leaf(0x12, "ECX passed through from the host (reserved)"))
        keep(key, .edx, rule: .leaf(0x12, "EDX (maximum enclave sizes) passed through from the host"))

        let one = hostEntry(0x12, 1)
        let attributes = value(one, .eax)
        let mask = profile.sgxAttributeMask
        let maskText = mask & Self.sgxAttributeAEXNotify != 0
            ? "SGX_ATTR_PRIV_MASK | SGX_ATTR_UNPRIV_MASK = \(Hex.word(mask)) (DEBUG, MODE64BIT, PROVISIONKEY, EINITTOKENKEY, KSS, AEXNOTIFY)"
            : "the attribute mask \(Hex.word(mask)) (DEBUG, MODE64BIT, PROVISIONKEY, EINITTOKENKEY, KSS; AEXNOTIFY only from 6.2)"
        assign(one, .eax, attributes & mask, rule: .leaf(0x12, "12.1 EAX &= \(maskText)"))
        assign(one, .ebx, 0, rule: .leaf(0x12, "12.1 EBX = 0 (ATTRIBUTES[63:32])"))
        keep(one, .ecx, rule: .leaf(0x12, "12.1 ECX (XFRM[31:0]) passed through: userspace derives it from XCR0"))
        keep(one, .edx, rule: .leaf(0x12, "12.1 EDX (XFRM[63:32]) passed through"))
        if host.raw.subleaves(of: 0x12).contains(where: { $0.subleaf >= 2 }) {
            note("leaf 0x12 EPC subleaves (2 and up) are never reported by KVM")
        }
    }
}
