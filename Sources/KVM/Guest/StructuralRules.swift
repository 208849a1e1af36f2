import CPUID

/// The CPUID consistency rules a guest table must follow, one row each (Intel SDM Vol. 2A CPUID, Vol. 1 ch. 13
/// XSAVE, Vol. 3D SGX; AMD APM Vol. 3 for XOP/FMA4). `GuestTableChecker` applies them.
///
/// AEX-Notify (12.1 EAX[10]) without EDECCSSA (12.0 EAX[11]) is only an advisory: the SDM enumerates them
/// separately and an enclave can leave a notification handler with EEXIT and a plain ERESUME, so nothing
/// architectural breaks; but runtimes such as the Intel SGX SDK unwind the SSA stack with EDECCSSA, so a table
/// with one and not the other is probably a mistake. The converse (EDECCSSA alone) is legitimate and not flagged.
public enum StructuralRules {
    // MARK: fields the rows name
    static let sgx = RuleField("SGX", CPUIDField(0x7, 0, .ebx, bit: 2))
    static let sgxLC = RuleField("SGX_LC", CPUIDField(0x7, 0, .ecx, bit: 30))
    static let sgx1 = RuleField("SGX1", CPUIDField(0x12, 0, .eax, bit: 0))
    static let sgx2 = RuleField("SGX2", CPUIDField(0x12, 0, .eax, bit: 1))
    static let enclv = RuleField("ENCLV", CPUIDField(0x12, 0, .eax, bit: 5))
    static let enclsC = RuleField("ENCLS_C", CPUIDField(0x12, 0, .eax, bit: 6))
    static let everifyreport2 = RuleField("EVERIFYREPORT2", CPUIDField(0x12, 0, .eax, bit: 7))
    static let eupdatesvn = RuleField("EUPDATESVN", CPUIDField(0x12, 0, .eax, bit: 10))
    static let edeccssa = RuleField("EDECCSSA", CPUIDField(0x12, 0, .eax, bit: 11))
    static let miscselectExinfo = RuleField("MISCSELECT.EXINFO", CPUIDField(0x12, 0, .ebx, bit: 0))
    static let miscselectCpinfo = RuleField("MISCSELECT.CPINFO", CPUIDField(0x12, 0, .ebx, bit: 1))
    static let maxEnclaveSize = RuleField("MaxEnclaveSize", CPUIDField(0x12, 0, .edx, bits: 15, 0))
    static let aexNotify = RuleField("ATTRIBUTES.AEXNOTIFY", CPUIDField(0x12, 1, .eax, bit: 10))

    static let xsave = RuleField("XSAVE", CPUIDField(0x1, 0, .ecx, bit: 26))
    /// CR4.OSXSAVE as CPUID reflects it; a host snapshot carries the host's 1.
    static let osxsave = RuleField("OSXSAVE", CPUIDField(0x1, 0, .ecx, bit: 27))
    static let xsaveExtensions: [RuleField] = [
        RuleField("XSAVEOPT", CPUIDField(0xD, 1, .eax, bit: 0)),
        RuleField("XSAVEC", CPUIDField(0xD, 1, .eax, bit: 1)),
        RuleField("XGETBV1", CPUIDField(0xD, 1, .eax, bit: 2)),
        RuleField("XSAVES", CPUIDField(0xD, 1, .eax, bit: 3)),
    ]

    /// VEX-encoded 128/256-bit instructions: they need YMM state (XCR0 bits 1 and 2).
    static let avxFamily: [RuleField] = [
        RuleField("FMA", CPUIDField(0x1, 0, .ecx, bit: 12)),
        RuleField("AVX", CPUIDField(0x1, 0, .ecx, bit: 28)),
        RuleField("F16C", CPUIDField(0x1, 0, .ecx, bit: 29)),
        RuleField("AVX2", CPUIDField(0x7, 0, .ebx, bit: 5)),
        RuleField("VAES", CPUIDField(0x7, 0, .ecx, bit: 9)),
        RuleField("VPCLMULQDQ", CPUIDField(0x7, 0, .ecx, bit: 10)),
        RuleField("SHA512", CPUIDField(0x7, 1, .eax, bit: 0)),
        RuleField("SM3", CPUIDField(0x7, 1, .eax, bit: 1)),
        RuleField("SM4", CPUIDField(0x7, 1, .eax, bit: 2)),
        RuleField("AVX_VNNI", CPUIDField(0x7, 1, .eax, bit: 4)),
        RuleField("AVX_IFMA", CPUIDField(0x7, 1, .eax, bit: 23)),
        RuleField("AVX_VNNI_INT8", CPUIDField(0x7, 1, .edx, bit: 4)),
        RuleField("AVX_NE_CONVERT", CPUIDField(0x7, 1, .edx, bit: 5)),
        RuleField("AVX_VNNI_INT16", CPUIDField(0x7, 1, .edx, bit: 10)),
        RuleField("XOP", CPUIDField(0x8000_0001, 0, .ecx, bit: 11)),
        RuleField("FMA4", CPUIDField(0x8000_0001, 0, .ecx, bit: 16)),
    ]

    /// EVEX-encoded instructions: they also need opmask, ZMM_Hi256 and Hi16_ZMM state (XCR0 bits 5-7).
    static let avx512Family: [RuleField] = [
        RuleField("AVX512F", CPUIDField(0x7, 0, .ebx, bit: 16)),
        RuleField("AVX512DQ", CPUIDField(0x7, 0, .ebx, bit: 17)),
        RuleField("AVX512IFMA", CPUIDField(0x7, 0, .ebx, bit: 21)),
        RuleField("AVX512PF", CPUIDField(0x7, 0, .ebx, bit: 26)),
        RuleField("AVX512ER", CPUIDField(0x7, 0, .ebx, bit: 27)),
        RuleField("AVX512CD", CPUIDField(0x7, 0, .ebx, bit: 28)),
        RuleField("AVX512BW", CPUIDField(0x7, 0, .ebx, bit: 30)),
        RuleField("AVX512VL", CPUIDField(0x7, 0, .ebx, bit: 31)),
        RuleField("AVX512_VBMI", CPUIDField(0x7, 0, .ecx, bit: 1)),
        RuleField("AVX512_VBMI2", CPUIDField(0x7, 0, .ecx, bit: 6)),
        RuleField("AVX512_VNNI", CPUIDField(0x7, 0, .ecx, bit: 11)),
        RuleField("AVX512_BITALG", CPUIDField(0x7, 0, .ecx, bit: 12)),
        RuleField("AVX512_VPOPCNTDQ", CPUIDField(0x7, 0, .ecx, bit: 14)),
        RuleField("AVX512_4VNNIW", CPUIDField(0x7, 0, .edx, bit: 2)),
        RuleField("AVX512_4FMAPS", CPUIDField(0x7, 0, .edx, bit: 3)),
        RuleField("AVX512_VP2INTERSECT", CPUIDField(0x7, 0, .edx, bit: 8)),
        RuleField("AVX512_FP16", CPUIDField(0x7, 0, .edx, bit: 23)),
        RuleField("AVX512_BF16", CPUIDField(0x7, 1, .eax, bit: 5)),
        RuleField("AVX10", CPUIDField(0x7, 1, .edx, bit: 19)),
    ]

    /// Tile instructions: they need XTILECFG and XTILEDATA state (XCR0 bits 17-18).
    static let amxFamily: [RuleField] = [
        RuleField("AMX_BF16", CPUIDField(0x7, 0, .edx, bit: 22)),
        RuleField("AMX_TILE", CPUIDField(0x7, 0, .edx, bit: 24)),
        RuleField("AMX_INT8", CPUIDField(0x7, 0, .edx, bit: 25)),
        RuleField("AMX_FP16", CPUIDField(0x7, 1, .eax, bit: 21)),
        RuleField("AMX_COMPLEX", CPUIDField(0x7, 1, .edx, bit: 8)),
    ]

    static let mpx = RuleField("MPX", CPUIDField(0x7, 0, .ebx, bit: 14))
    static let pku = RuleField("PKU", CPUIDField(0x7, 0, .ecx, bit: 3))
    static let apx = RuleField("APX_F", CPUIDField(0x7, 1, .edx, bit: 21))

    /// Every AVX-, AVX-512- and AMX-family field: what `--disable xsave` must leave clear.
    public static let xsaveDependentFields: [RuleField] = avxFamily + avx512Family + amxFamily

    // MARK: the table
    public static let all: [StructuralRule] = [
        // Leaf ranges: a guest never reads past the maximum its range enumerates.
        StructuralRule("basic-leaf-range", "every basic leaf present is at most CPUID.(EAX=0):EAX", .leafRange(.basic)),
        StructuralRule("hypervisor-leaf-range", "every 0x400000xx leaf present is at most CPUID.(EAX=40000000H):EAX", .leafRange(.hypervisor)),
        StructuralRule("extended-leaf-range", "every 0x8000xxxx leaf present is at most CPUID.(EAX=80000000H):EAX", .leafRange(.extended)),
        StructuralRule("leaf7-subleaf-range", "leaf 7 subleaves present are at most CPUID.(EAX=07H,ECX=0):EAX", .subleafRange(leaf: 0x7, maximum: CPUIDField(0x7, 0, .eax, bits: 31, 0))),
        StructuralRule("leaf14-subleaf-range", "leaf 0x14 (PT) subleaves present are at most CPUID.(EAX=14H,ECX=0):EAX", .subleafRange(leaf: 0x14, maximum: CPUIDField(0x14, 0, .eax, bits: 31, 0))),
        StructuralRule("leaf17-subleaf-range", "leaf 0x17 (SoC vendor) subleaves present are at most CPUID.(EAX=17H,ECX=0):EAX", .subleafRange(leaf: 0x17, maximum: CPUIDField(0x17, 0, .eax, bits: 31, 0))),
        StructuralRule("leaf18-subleaf-range", "leaf 0x18 (TLB) subleaves present are at most CPUID.(EAX=18H,ECX=0):EAX", .subleafRange(leaf: 0x18, maximum: CPUIDField(0x18, 0, .eax, bits: 31, 0))),
        StructuralRule("leaf1d-subleaf-range", "leaf 0x1D (tile palettes) subleaves present are at most CPUID.(EAX=1DH,ECX=0):EAX", .subleafRange(leaf: 0x1D, maximum: CPUIDField(0x1D, 0, .eax, bits: 31, 0))),
        StructuralRule("leaf24-subleaf-range", "leaf 0x24 (AVX10) subleaves present are at most CPUID.(EAX=24H,ECX=0):EAX", .subleafRange(leaf: 0x24, maximum: CPUIDField(0x24, 0, .eax, bits: 31, 0))),

        // SGX: leaf 0x12 describes SGX and means nothing without it.
        StructuralRule("sgx-leaf-needs-sgx", "leaf 0x12 has content only when SGX is enumerated", .leafRequires(leaf: 0x12, fromSubleaf: 0, sgx)),
        StructuralRule("sgx-lc-needs-sgx", "SGX launch control only with SGX", .fieldsRequire([sgxLC], sgx)),
        StructuralRule("sgx1-needs-sgx", "SGX1 leaf functions only with SGX", .fieldsRequire([sgx1], sgx)),
        StructuralRule("sgx-leaf-reachable", "with SGX, leaf 0x12 lies within the basic range", .fieldsRequireEntries([sgx], [LeafKey(0x12, 0)])),
        StructuralRule("sgx-functions-need-sgx1", "SGX2, EDECCSSA and the other SGX leaf-function bits only with SGX1", .fieldsRequire([sgx2, enclv, enclsC, everifyreport2, eupdatesvn, edeccssa], sgx1)),
        StructuralRule("sgx-miscselect-needs-sgx1", "MISCSELECT (EXINFO, CPINFO) and the maximum enclave sizes only with SGX1", .fieldsRequire([miscselectExinfo, miscselectCpinfo, maxEnclaveSize], sgx1)),
        StructuralRule("sgx-subleaves-need-sgx1", "the attribute subleaf and EPC sections of leaf 0x12 only with SGX1", .leafRequires(leaf: 0x12, fromSubleaf: 1, sgx1)),
        StructuralRule("sgx1-needs-attributes", "with SGX1, the attribute subleaf 0x12.1 is present and reachable", .fieldsRequireEntries([sgx1], [LeafKey(0x12, 0), LeafKey(0x12, 1)])),
        StructuralRule("aexnotify-with-edeccssa", .advisory, "AEX-Notify (attribute bit 10) without EDECCSSA: handlers cannot unwind the SSA stack in the enclave", .fieldsRequire([aexNotify], edeccssa)),

        // XSAVE: extended state features need XSAVE and their state components in XCR0's supported mask.
        StructuralRule("osxsave-needs-xsave", "OSXSAVE (CR4.OSXSAVE) only with XSAVE: CR4.OSXSAVE cannot be set without it", .fieldsRequire([osxsave], xsave)),
        StructuralRule("xsave-extensions-need-xsave", "XSAVEOPT, XSAVEC, XGETBV1 and XSAVES only with XSAVE", .fieldsRequire(xsaveExtensions, xsave)),
        StructuralRule("avx-needs-xsave", "AVX-family features only with XSAVE", .fieldsRequire(avxFamily, xsave)),
        StructuralRule("avx512-needs-xsave", "AVX-512-family features only with XSAVE", .fieldsRequire(avx512Family, xsave)),
        StructuralRule("amx-needs-xsave", "AMX features only with XSAVE", .fieldsRequire(amxFamily, xsave)),
        StructuralRule("mpx-pku-apx-need-xsave", "MPX, PKU and APX only with XSAVE", .fieldsRequire([mpx, pku, apx], xsave)),
        StructuralRule("avx-state", "AVX-family features need SSE and YMM state (XCR0 bits 1-2) in CPUID.(EAX=0DH,ECX=0):EAX", .xsaveComponents(avxFamily, components: [1, 2])),
        StructuralRule("avx512-state", "AVX-512 features need SSE, YMM, opmask, ZMM_Hi256 and Hi16_ZMM state (XCR0 bits 1-2, 5-7)", .xsaveComponents(avx512Family, components: [1, 2, 5, 6, 7])),
        StructuralRule("amx-state", "AMX features need XTILECFG and XTILEDATA state (XCR0 bits 17-18)", .xsaveComponents(amxFamily, components: [17, 18])),
        StructuralRule("mpx-state", "MPX needs BNDREGS and BNDCSR state (XCR0 bits 3-4)", .xsaveComponents([mpx], components: [3, 4])),
        StructuralRule("pku-state", "PKU needs PKRU state (XCR0 bit 9)", .xsaveComponents([pku], components: [9])),
        StructuralRule("apx-state", "APX needs extended GPR state (XCR0 bit 19)", .xsaveComponents([apx], components: [19])),
        StructuralRule("xsave-component-sizes", "every enumerated XSAVE state component n >= 2 has subleaf 0xD.n giving its size", .xsaveComponentSizes),
    ]

    /// The rule with this name.
    public static func named(_ name: String) -> StructuralRule? { all.first { $0.name == name } }
}
