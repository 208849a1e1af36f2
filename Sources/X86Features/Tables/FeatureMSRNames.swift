/// Linux's names (arch/x86/include/asm/msr-index.h) of the feature MSRs KVM offers and reports carry,
/// one row per MSR, so that listings say what an index is.
public enum FeatureMSRNames {
    public static let table: [UInt32: String] = [
        0x0000_008B: "IA32_UCODE_REV",
        0x0000_00CE: "MSR_PLATFORM_INFO",
        0x0000_00CF: "IA32_CORE_CAPS",
        0x0000_010A: "IA32_ARCH_CAPABILITIES",
        0x0000_0122: "IA32_TSX_CTRL",
        0x0000_0123: "IA32_MCU_OPT_CTRL",
        0x0000_0345: "IA32_PERF_CAPABILITIES",
        0x0000_0480: "IA32_VMX_BASIC",
        0x0000_0481: "IA32_VMX_PINBASED_CTLS",
        0x0000_0482: "IA32_VMX_PROCBASED_CTLS",
        0x0000_0483: "IA32_VMX_EXIT_CTLS",
        0x0000_0484: "IA32_VMX_ENTRY_CTLS",
        0x0000_0485: "IA32_VMX_MISC",
        0x0000_0486: "IA32_VMX_CR0_FIXED0",
        0x0000_0487: "IA32_VMX_CR0_FIXED1",
        0x0000_0488: "IA32_VMX_CR4_FIXED0",
        0x0000_0489: "IA32_VMX_CR4_FIXED1",
        0x0000_048A: "IA32_VMX_VMCS_ENUM",
        0x0000_048B: "IA32_VMX_PROCBASED_CTLS2",
        0x0000_048C: "IA32_VMX_EPT_VPID_CAP",
        0x0000_048D: "IA32_VMX_TRUE_PINBASED_CTLS",
        0x0000_048E: "IA32_VMX_TRUE_PROCBASED_CTLS",
        0x0000_048F: "IA32_VMX_TRUE_EXIT_CTLS",
        0x0000_0490: "IA32_VMX_TRUE_ENTRY_CTLS",
        0x0000_0491: "IA32_VMX_VMFUNC",
        0x0000_0492: "IA32_VMX_PROCBASED_CTLS3",
        0xC001_1029: "AMD64_DE_CFG",
    ]

    /// The name, or `MSR 0x...` for an index Linux names no feature MSR for.
    public static func name(of index: UInt32) -> String { table[index] ?? "MSR \(String(index, radix: 16, uppercase: false))" }
}
