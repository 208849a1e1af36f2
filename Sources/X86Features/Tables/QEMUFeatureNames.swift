import CPUID

/// QEMU's `-cpu` property names for CPUID bits (target/i386/cpu.c, feature_word_info[].feat_names, as of
/// QEMU 9.x/10.x), keyed by the bit's CPUID location. A Linux feature read from that bit gets the name.
enum QEMUFeatureNames {
    private static func word(_ leaf: UInt32, _ subleaf: UInt32, _ register: Register,
                             _ names: [Int: String]) -> [CPUIDField: String] {
        var result: [CPUIDField: String] = [:]
        for (bit, name) in names { result[CPUIDField(leaf, subleaf, register, bit: bit)] = name }
        return result
    }

    static let byField: [CPUIDField: String] = {
        var all: [CPUIDField: String] = [:]
        let words: [[CPUIDField: String]] = [
            word(0x1, 0, .edx, [
                0: "fpu", 1: "vme", 2: "de", 3: "pse", 4: "tsc", 5: "msr", 6: "pae", 7: "mce",
                8: "cx8", 9: "apic", 11: "sep", 12: "mtrr", 13: "pge", 14: "mca", 15: "cmov",
                16: "pat", 17: "pse36", 18: "pn", 19: "clflush", 21: "ds", 22: "acpi", 23: "mmx",
                24: "fxsr", 25: "sse", 26: "sse2", 27: "ss", 28: "ht", 29: "tm", 30: "ia64", 31: "pbe",
            ]),
            word(0x1, 0, .ecx, [
                0: "pni", 1: "pclmulqdq", 2: "dtes64", 3: "monitor", 4: "ds-cpl", 5: "vmx", 6: "smx",
                7: "est", 8: "tm2", 9: "ssse3", 10: "cid", 12: "fma", 13: "cx16", 14: "xtpr", 15: "pdcm",
                17: "pcid", 18: "dca", 19: "sse4.1", 20: "sse4.2", 21: "x2apic", 22: "movbe", 23: "popcnt",
                24: "tsc-deadline", 25: "aes", 26: "xsave", 28: "avx", 29: "f16c", 30: "rdrand", 31: "hypervisor",
            ]),
            word(0x8000_0001, 0, .edx, [
                11: "syscall", 20: "nx", 22: "mmxext", 25: "fxsr-opt", 26: "pdpe1gb", 27: "rdtscp",
                29: "lm", 30: "3dnowext", 31: "3dnow",
            ]),
            word(0x8000_0001, 0, .ecx, [
                0: "lahf-lm", 1: "cmp-legacy", 2: "svm", 3: "extapic", 4: "cr8legacy", 5: "abm", 6: "sse4a",
                7: "misalignsse", 8: "3dnowprefetch", 9: "osvw", 10: "ibs", 11: "xop", 12: "skinit", 13: "wdt",
                15: "lwp", 16: "fma4", 17: "tce", 19: "nodeid-msr", 21: "tbm", 22: "topoext",
                23: "perfctr-core", 24: "perfctr-nb",
            ]),
            word(0xC000_0001, 0, .edx, [
                2: "xstore", 3: "xstore-en", 6: "xcrypt", 7: "xcrypt-en", 8: "ace2", 9: "ace2-en",
                10: "phe", 11: "phe-en", 12: "pmm", 13: "pmm-en",
            ]),
            word(0x8000_000A, 0, .edx, [
                0: "npt", 1: "lbrv", 2: "svm-lock", 3: "nrip-save", 4: "tsc-scale", 5: "vmcb-clean",
                6: "flushbyasid", 7: "decodeassists", 10: "pause-filter", 12: "pfthreshold", 13: "avic",
                15: "v-vmsave-vmload", 16: "vgif", 25: "vnmi", 28: "svme-addr-chk",
            ]),
            word(0x7, 0, .ebx, [
                0: "fsgsbase", 1: "tsc-adjust", 2: "sgx", 3: "bmi1", 4: "hle", 5: "avx2", 6: "fdp-excptn-only",
                7: "smep", 8: "bmi2", 9: "erms", 10: "invpcid", 11: "rtm", 13: "zero-fcs-fds", 14: "mpx", 16: "avx512f", 17: "avx512dq",
                18: "rdseed", 19: "adx", 20: "smap", 21: "avx512ifma", 22: "pcommit", 23: "clflushopt",
                24: "clwb", 25: "intel-pt", 26: "avx512pf", 27: "avx512er", 28: "avx512cd", 29: "sha-ni",
                30: "avx512bw", 31: "avx512vl",
            ]),
            word(0x7, 0, .ecx, [
                1: "avx512vbmi", 2: "umip", 3: "pku", 5: "waitpkg", 6: "avx512vbmi2", 8: "gfni", 9: "vaes",
                10: "vpclmulqdq", 11: "avx512vnni", 12: "avx512bitalg", 14: "avx512-vpopcntdq", 16: "la57",
                22: "rdpid", 24: "bus-lock-detect", 25: "cldemote", 27: "movdiri", 28: "movdir64b",
                30: "sgxlc", 31: "pks",
            ]),
            word(0x7, 0, .edx, [
                2: "avx512-4vnniw", 3: "avx512-4fmaps", 4: "fsrm", 8: "avx512-vp2intersect", 10: "md-clear",
                14: "serialize", 16: "tsx-ldtrk", 19: "arch-lbr", 22: "amx-bf16", 23: "avx512-fp16",
                24: "amx-tile", 25: "amx-int8", 26: "spec-ctrl", 27: "stibp", 28: "flush-l1d", 29: "arch-capabilities",
                30: "core-capability", 31: "ssbd",
            ]),
            word(0x7, 1, .eax, [
                0: "sha512", 1: "sm3", 2: "sm4", 4: "avx-vnni", 5: "avx512-bf16", 7: "cmpccxadd", 10: "fzrm",
                11: "fsrs", 12: "fsrc", 17: "fred", 18: "lkgs", 19: "wrmsrns", 21: "amx-fp16", 23: "avx-ifma",
                26: "lam",
            ]),
            word(0x7, 2, .edx, [0: "intel-psfd", 1: "ipred-ctrl", 2: "rrsba-ctrl", 3: "ddpd-u", 4: "bhi-ctrl", 5: "mcdt-no"]),
            word(0x8000_0007, 0, .ebx, [0: "overflow-recov", 1: "succor"]),
            word(0x8000_0021, 0, .eax, [
                0: "no-nested-data-bp", 2: "lfence-always-serializing", 6: "null-sel-clr-base", 8: "auto-ibrs",
                24: "eraps", 27: "sbpb", 28: "ibpb-brtype", 29: "srso-no", 30: "srso-user-kernel-no",
            ]),
            word(0x8000_0022, 0, .eax, [0: "perfmon-v2"]),
            word(0x8000_0008, 0, .ebx, [
                0: "clzero", 2: "xsaveerptr", 9: "wbnoinvd", 12: "ibpb", 14: "ibrs", 15: "amd-stibp",
                24: "amd-ssbd", 25: "virt-ssbd", 26: "amd-no-ssb",
            ]),
            word(0xD, 1, .eax, [0: "xsaveopt", 1: "xsavec", 2: "xgetbv1", 3: "xsaves", 4: "xfd"]),
            word(0x6, 0, .eax, [2: "arat"]),
            word(0x12, 0, .eax, [0: "sgx1", 1: "sgx2", 11: "sgx-edeccssa"]),
        ]
        for table in words { all.merge(table) { first, _ in first } }
        return all
    }()
}
