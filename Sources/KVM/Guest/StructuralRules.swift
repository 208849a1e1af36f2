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
    static let sgx = RuleField(linux: "SGX")
    static let sgxLC = RuleField(linux: "SGX_LC")
    static let sgx1 = RuleField(linux: "SGX1")
    static let sgx2 = RuleField(linux: "SGX2")
    // SGX leaf functions Linux names no macro for (SDM Vol. 2A, CPUID leaf 12H, sub-leaf 0, EAX).
    static let enclv = RuleField("ENCLV", CPUIDField(0x12, 0, .eax, bit: 5))
    static let enclsC = RuleField("ENCLS_C", CPUIDField(0x12, 0, .eax, bit: 6))
    static let everifyreport2 = RuleField("EVERIFYREPORT2", CPUIDField(0x12, 0, .eax, bit: 7))
    static let eupdatesvn = RuleField("EUPDATESVN", linux: "SGX_EUPDATESVN")
    static let edeccssa = RuleField("EDECCSSA", linux: "SGX_EDECCSSA")
    // SECS fields the SDM enumerates in leaf 12H (Vol. 3D "SGX Resource Enumeration Leaves"); not Linux features.
    static let miscselectExinfo = RuleField("MISCSELECT.EXINFO", CPUIDField(0x12, 0, .ebx, bit: 0))
    static let miscselectCpinfo = RuleField("MISCSELECT.CPINFO", CPUIDField(0x12, 0, .ebx, bit: 1))
    static let maxEnclaveSize = RuleField("MaxEnclaveSize", CPUIDField(0x12, 0, .edx, bits: 15, 0))
    static let aexNotify = RuleField("ATTRIBUTES.AEXNOTIFY", CPUIDField(0x12, 1, .eax, bit: 10))

    static let xsave = RuleField(linux: "XSAVE")
    /// CR4.OSXSAVE as CPUID reflects it; a host snapshot carries the host's 1.
    static let osxsave = RuleField(linux: "OSXSAVE")
    static let xsaveExtensions: [RuleField] = [
        RuleField(linux: "XSAVEOPT"),
        RuleField(linux: "XSAVEC"),
        RuleField(linux: "XGETBV1"),
        RuleField(linux: "XSAVES"),
    ]

    /// VEX-encoded 128/256-bit instructions: they need YMM state (XCR0 bits 1 and 2).
    static let avxFamily: [RuleField] = [
        RuleField(linux: "FMA"),
        RuleField(linux: "AVX"),
        RuleField(linux: "F16C"),
        RuleField(linux: "AVX2"),
        RuleField(linux: "VAES"),
        RuleField(linux: "VPCLMULQDQ"),
        RuleField(linux: "SHA512"),
        RuleField(linux: "SM3"),
        RuleField(linux: "SM4"),
        RuleField(linux: "AVX_VNNI"),
        RuleField(linux: "AVX_IFMA"),
        // 7.1 EDX bits Linux keeps as KVM-only features, without an X86_FEATURE macro (SDM Vol. 2A, leaf 07H sub-leaf 1 EDX).
        RuleField("AVX_VNNI_INT8", CPUIDField(0x7, 1, .edx, bit: 4)),
        RuleField("AVX_NE_CONVERT", CPUIDField(0x7, 1, .edx, bit: 5)),
        RuleField("AVX_VNNI_INT16", CPUIDField(0x7, 1, .edx, bit: 10)),
        RuleField(linux: "XOP"),
        RuleField(linux: "FMA4"),
    ]

    /// EVEX-encoded instructions: they also need opmask, ZMM_Hi256 and Hi16_ZMM state (XCR0 bits 5-7).
    static let avx512Family: [RuleField] = [
        RuleField(linux: "AVX512F"),
        RuleField(linux: "AVX512DQ"),
        RuleField(linux: "AVX512IFMA"),
        RuleField(linux: "AVX512PF"),
        RuleField(linux: "AVX512ER"),
        RuleField(linux: "AVX512CD"),
        RuleField(linux: "AVX512BW"),
        RuleField(linux: "AVX512VL"),
        RuleField("AVX512_VBMI", linux: "AVX512VBMI"),
        RuleField(linux: "AVX512_VBMI2"),
        RuleField(linux: "AVX512_VNNI"),
        RuleField(linux: "AVX512_BITALG"),
        RuleField(linux: "AVX512_VPOPCNTDQ"),
        RuleField(linux: "AVX512_4VNNIW"),
        RuleField(linux: "AVX512_4FMAPS"),
        RuleField(linux: "AVX512_VP2INTERSECT"),
        RuleField(linux: "AVX512_FP16"),
        RuleField(linux: "AVX512_BF16"),
        RuleField("AVX10", CPUIDField(0x7, 1, .edx, bit: 19)),  // KVM-only in Linux (SDM Vol. 2A, leaf 07H sub-leaf 1 EDX[19])
    ]

    /// Tile instructions: they need XTILECFG and XTILEDATA state (XCR0 bits 17-18).
    static let amxFamily: [RuleField] = [
        RuleField(linux: "AMX_BF16"),
        RuleField(linux: "AMX_TILE"),
        RuleField(linux: "AMX_INT8"),
        RuleField(linux: "AMX_FP16"),
        RuleField("AMX_COMPLEX", CPUIDField(0x7, 1, .edx, bit: 8)),  // KVM-only in Linux (SDM Vol. 2A, leaf 07H sub-leaf 1 EDX[8])
    ]

    static let mpx = RuleField(linux: "MPX")
    static let pku = RuleField(linux: "PKU")
    static let apx = RuleField("APX_F", linux: "APX")

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
