import CPUID

/// Leaf 0x8000000A (AMD): SVM revision, number of ASIDs and the SVM feature flags.
public struct SecureVirtualMachineDecoder: FieldTableDecoder {
    public let leaves: [UInt32] = [0x8000_000A]

    public init() {}

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        guard entry.subleaf == 0 else { return nil }
        return CPUVendor(snapshot).followsAMD ? Self.amd : Self.reserved
    }

    static let amd = FieldTable([
        .bits(.eax, 7, 0, "svm_revision"),
        .bits(.ebx, 31, 0, "asid_count"),
        .flag(.edx, 0, "npt"),
        .flag(.edx, 1, "lbrv"),
        .flag(.edx, 2, "svm_lock"),
        .flag(.edx, 3, "nrip_save"),
        .flag(.edx, 4, "tsc_scale"),
        .flag(.edx, 5, "vmcb_clean"),
        .flag(.edx, 6, "flushbyasid"),
        .flag(.edx, 7, "decodeassists"),
        .flag(.edx, 10, "pausefilter"),
        .flag(.edx, 12, "pfthreshold"),
        .flag(.edx, 13, "avic"),
        .flag(.edx, 15, "v_vmsave_vmload"),
        .flag(.edx, 16, "vgif"),
        .flag(.edx, 17, "gmet"),
        .flag(.edx, 18, "x2avic"),
        .flag(.edx, 19, "sss_check"),
        .flag(.edx, 20, "v_spec_ctrl"),
        .flag(.edx, 21, "ro_gpt"),
        .flag(.edx, 23, "h_mce_override"),
        .flag(.edx, 24, "tlbsync_intercept"),
        .flag(.edx, 25, "vnmi"),
        .flag(.edx, 26, "ibs_virt"),
        .flag(.edx, 27, "ext_lvt_offset_fault_change"),
        .flag(.edx, 28, "svme_addr_chk"),
        .flag(.edx, 29, "bus_lock_threshold"),
        .flag(.edx, 30, "idle_hlt"),
    ])

    static let reserved = FieldTable([])
}
