import CPUID

/// Leaf 0x8000001F (AMD): memory encryption (SME, SEV, SEV-ES, SEV-SNP) and its parameters.
public struct EncryptedMemoryDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_001F]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .flag(.eax, 0, "sme"),
        .flag(.eax, 1, "sev"),
        .flag(.eax, 2, "vm_page_flush"),
        .flag(.eax, 3, "sev_es"),
        .flag(.eax, 4, "sev_snp"),
        .flag(.eax, 5, "vmpl"),
        .flag(.eax, 6, "rmpquery"),
        .flag(.eax, 7, "vmpl_sss"),
        .flag(.eax, 8, "secure_tsc"),
        .flag(.eax, 9, "v_tsc_aux"),
        .flag(.eax, 10, "sme_coherent"),
        .flag(.eax, 11, "req_64bit_hypervisor"),
        .flag(.eax, 12, "restricted_injection"),
        .flag(.eax, 13, "alternate_injection"),
        .flag(.eax, 14, "debug_swap"),
        .flag(.eax, 15, "disallow_host_ibs"),
        .flag(.eax, 16, "virt_transparent_encryption"),
        .flag(.eax, 17, "vmgexit_parameter"),
        .flag(.eax, 18, "virt_tom_msr"),
        .flag(.eax, 19, "ibs_virt_sev_es"),
        .flag(.eax, 21, "rmpread"),
        .flag(.eax, 23, "segmented_rmp"),
        .flag(.eax, 24, "vmsa_reg_protection"),
        .flag(.eax, 25, "smt_protection"),
        .flag(.eax, 27, "allowed_sev_features"),
        .flag(.eax, 28, "svsm_page_msr"),
        .flag(.eax, 29, "nested_virt_snp_msr"),
        .flag(.eax, 30, "hv_inuse_wr_allowed"),
        .bits(.ebx, 5, 0, "c_bit_position"),
        .bits(.ebx, 11, 6, "physical_address_reduction", .bitWidth),
        .bits(.ebx, 15, 12, "vmpl_count"),
        .bits(.ecx, 31, 0, "encrypted_guests_max"),
        .bits(.edx, 31, 0, "min_sev_asid_without_es"),
    ])
}
