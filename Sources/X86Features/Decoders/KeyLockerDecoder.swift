import CPUID

/// Leaf 0x19: Key Locker restrictions and instructions.
public struct KeyLockerDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x19]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        entry.subleaf == 0 ? Self.table : nil
    }

    static let table = FieldTable([
        .flag(.eax, 0, "cpl0_only_restriction"),
        .flag(.eax, 1, "no_encrypt_restriction"),
        .flag(.eax, 2, "no_decrypt_restriction"),
        .flag(.ebx, 0, "aeskle"),
        .flag(.ebx, 2, "aes_wide_kl"),
        .flag(.ebx, 4, "kl_msrs"),
        .flag(.ecx, 0, "loadiwkey_nobackup"),
        .flag(.ecx, 1, "iwkey_random"),
    ])
}
