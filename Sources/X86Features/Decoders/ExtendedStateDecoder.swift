import CPUID

/// Leaf 0xD: XSAVE. Subleaf 0 lists the user state components XCR0 may enable and the save-area
/// sizes; subleaf 1 the XSAVE instruction variants and the supervisor components IA32_XSS may enable;
/// subleaf n >= 2 the size, standard-format offset and properties of state component n.
public struct ExtendedStateDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0xD]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        switch entry.subleaf {
        case 0: Self.subleaf0
        case 1: Self.subleaf1
        case 2..<64: Self.componentTables[Int(entry.subleaf)]
        default: Self.undefined
        }
    }

    /// XSAVE state components by their XCR0/IA32_XSS bit number (SDM Vol. 1, 13.1; AMD APM for LWP).
    public static let componentNames: [Int: String] = [
        0: "x87", 1: "sse", 2: "avx", 3: "bndregs", 4: "bndcsr", 5: "opmask", 6: "zmm_hi256", 7: "hi16_zmm",
        8: "pt", 9: "pkru", 10: "pasid", 11: "cet_u", 12: "cet_s", 13: "hdc", 14: "uintr", 15: "lbr",
        16: "hwp", 17: "xtilecfg", 18: "xtiledata", 19: "apx", 62: "lwp",
    ]

    /// Components that live in IA32_XSS (supervisor state) rather than XCR0.
    static let supervisorComponents: Set<Int> = [8, 10, 11, 12, 13, 14, 15, 16]

    static let subleaf0: FieldTable = {
        var rows: [FieldSpec] = []
        for bit in 0..<32 where !supervisorComponents.contains(bit) {
            if let name = componentNames[bit] { rows.append(.flag(.eax, bit, "xcr0_" + name)) }
        }
        rows.append(.bits(.ebx, 31, 0, "xsave_size_enabled", .bytes(scale: 1)))
        rows.append(.bits(.ecx, 31, 0, "xsave_size_max", .bytes(scale: 1)))
        rows.append(.flag(.edx, 30, "xcr0_lwp"))
        return FieldTable(rows)
    }()

    static let subleaf1: FieldTable = {
        var rows: [FieldSpec] = [
            .flag(.eax, 0, "xsaveopt"),
            .flag(.eax, 1, "xsavec"),
            .flag(.eax, 2, "xgetbv1"),
            .flag(.eax, 3, "xsaves"),
            .flag(.eax, 4, "xfd"),
            .bits(.ebx, 31, 0, "xsave_size_xcr0_xss", .bytes(scale: 1)),
        ]
        for bit in supervisorComponents.sorted() {
            if let name = componentNames[bit] { rows.append(.flag(.ecx, bit, "xss_" + name)) }
        }
        return FieldTable(rows)
    }()

    /// One table per component subleaf 2...63, with the component's name in every field name.
    static let componentTables: [FieldTable] = (0..<64).map { n in
        let name = componentNames[n] ?? "component_\(n)"
        return FieldTable([
            .bits(.eax, 31, 0, name + "_size", .bytes(scale: 1)),
            .bits(.ebx, 31, 0, name + "_offset", .bytes(scale: 1)),
            .flag(.ecx, 0, name + "_supervisor"),
            .flag(.ecx, 1, name + "_aligned_64"),
            .flag(.ecx, 2, name + "_xfd_faulting"),
        ])
    }

    static let undefined = FieldTable([])
}
