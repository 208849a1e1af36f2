import CPUID

extension GuestFeatureTable {
    /// CPUID bits a guest policy may name that Linux has no feature macro for, with QEMU's names
    /// (target/i386/cpu.c feature words FEAT_SGX_12_0_EBX and FEAT_SGX_12_1_EAX) and the SDM's meaning.
    /// Their identities use the kernel's own spellings from asm/sgx.h (SGX_MISC_*, SGX_ATTR_*).
    public static let architecturalExtras: [GuestFeature] = [
        GuestFeature(macro: "SGX_MISC_EXINFO", qemuName: "sgx-exinfo", field: CPUIDField(0x12, 0, .ebx, bit: 0), dependsOn: ["SGX1"], dependencySource: "SDM"),
        GuestFeature(macro: "SGX_ATTR_DEBUG", qemuName: "sgx-debug", field: CPUIDField(0x12, 1, .eax, bit: 1), dependsOn: ["SGX1"], dependencySource: "SDM"),
        GuestFeature(macro: "SGX_ATTR_MODE64BIT", qemuName: "sgx-mode64", field: CPUIDField(0x12, 1, .eax, bit: 2), dependsOn: ["SGX1"], dependencySource: "SDM"),
        GuestFeature(macro: "SGX_ATTR_PROVISIONKEY", qemuName: "sgx-provisionkey", field: CPUIDField(0x12, 1, .eax, bit: 4), dependsOn: ["SGX1"], dependencySource: "SDM"),
        GuestFeature(macro: "SGX_ATTR_EINITTOKENKEY", qemuName: "sgx-tokenkey", field: CPUIDField(0x12, 1, .eax, bit: 5), dependsOn: ["SGX1"], dependencySource: "SDM"),
        GuestFeature(macro: "SGX_ATTR_KSS", qemuName: "sgx-kss", field: CPUIDField(0x12, 1, .eax, bit: 7), dependsOn: ["SGX1"], dependencySource: "SDM"),
        GuestFeature(macro: "SGX_ATTR_ASYNC_EXIT_NOTIFY", aliases: ["aexnotify"], qemuName: "sgx-aex-notify",
                     field: CPUIDField(0x12, 1, .eax, bit: 10), dependsOn: ["SGX1"], dependencySource: "SDM"),
    ]

}
