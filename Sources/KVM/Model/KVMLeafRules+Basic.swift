import CPUID

/// Basic leaves other than XSAVE (0xD) and SGX (0x12): 0, 1, 4, 6, 7, 0xA, 0xB/0x1F, 0x14, 0x1D, 0x1E, 0x24.
extension KVMSupportedTableBuilder {
    mutating func leaf0(_ key: LeafKey) {
        let hostMax = value(key, .eax)
        assign(key, .eax, min(hostMax, profile.maxBasicLeaf),
               rule: .leaf(0, "EAX = min(host max \(Hex.word(hostMax)), \(Hex.word(profile.maxBasicLeaf))): the highest basic leaf KVM implements in Linux \(profile.version)"))
        for register in [Register.ebx, .ecx, .edx] {
            keep(key, register, rule: .leaf(0, "vendor string passed through from the host"))
        }
    }

    mutating func leaf1(_ key: LeafKey) {
        keep(key, .eax, rule: .leaf(1, "signature passed through from the host"))
        keep(key, .ebx, rule: .leaf(1, "passed through from the host (KVM fills the APIC ID at run time)"))
        override(key, with: .cpuid_1_EDX)
        override(key, with: .cpuid_1_ECX)
    }

    /// Leaves 4 and 0x8000001D: subleaves until the one whose cache type is 0 (that one included).
    mutating func cacheSubleaves(_ key: LeafKey) {
        let function = key.leaf
        keep(key, .eax, rule: .leaf(function, "cache descriptions passed through from the host"))
        var previous = key
        var index: UInt32 = 1
        while value(previous, .eax) & 0x1f != 0, index < 64 {
            previous = hostEntry(function, index, missingMeans: "the subleaf that ends the list (cache type 0)")
            keep(previous, .eax, rule: .leaf(function, "subleaf read because the previous subleaf's cache type was not 0"))
            index += 1
        }
    }

    mutating func leaf6(_ key: LeafKey) {
        assign(key, .eax, 0x4, rule: .leaf(6, "EAX = 0x4: only ARAT (always-running APIC timer) is offered"))
        zero(key, [.ebx, .ecx, .edx], rule: .leaf(6, "EBX = ECX = EDX = 0: no thermal or power management"))
    }

    mutating func leaf7(_ key: LeafKey) {
        let maxIndex = min(value(key, .eax), profile.maxLeaf7Subleaf)
        assign(key, .eax, maxIndex,
               rule: .leaf(7, "EAX = min(host max subleaf, \(profile.maxLeaf7Subleaf)): KVM knows subleaves up to \(profile.maxLeaf7Subleaf) in Linux \(profile.version)"))
        override(key, with: .cpuid_7_0_EBX)
        override(key, with: .cpuid_7_ECX)
        override(key, with: .cpuid_7_EDX)
        if maxIndex >= 1 {
            let one = hostEntry(7, 1)
            override(one, with: .cpuid_7_1_EAX)
            if profile.words.contains(.cpuid_7_1_EDX) {
                override(one, with: .cpuid_7_1_EDX)
            } else {
                assign(one, .edx, 0, rule: .leaf(7, "7.1 EDX = 0 (no CPUID_7_1_EDX word in Linux \(profile.version))"))
            }
            if profile.words.contains(.cpuid_7_1_ECX) {
                override(one, with: .cpuid_7_1_ECX)
            } else {
                assign(one, .ecx, 0, rule: .leaf(7, "7.1 ECX = 0"))
            }
            assign(one, .ebx, 0, rule: .leaf(7, "7.1 EBX = 0"))
        }
        if maxIndex >= 2 {
            let two = hostEntry(7, 2)
            override(two, with: .cpuid_7_2_EDX)
            zero(two, [.eax, .ebx, .ecx], rule: .leaf(7, "7.2 EAX = EBX = ECX = 0"))
        }
    }

    /// Leaf 0xA: KVM describes its virtual PMU from perf's view of the host PMU (kvm_pmu_cap).
    mutating func leafA(_ key: LeafKey) {
        let hostVersion = value(key, .eax) & 0xff
        if !module.enablePMU || hostVersion == 0 || host.isAMDLike {
            zeroLeaf(key, because: !module.enablePMU ? "enable_pmu is off"
                     : "the host has no architectural PMU (ARCH_PERFMON)")
            return
        }
        for register in Register.allCases {
            keep(key, register, rule: .notModelled(0xA, "KVM reports its virtual PMU from perf (kvm_pmu_cap); the model shows the host's leaf"))
        }
        note("leaf 0xA (PMU) is shown as the host's: KVM's values come from perf, which a dump does not hold")
    }

    /// Leaves 0xB and 0x1F. From 6.2 (commit 45e966fcca03, "Do not return host topology information"):
    /// subleaf 0 only, EAX = EBX = ECX = 0, EDX (x2APIC ID) kept. In 6.1 as released: the host's subleaves
    /// until the one whose level type (ECX[15:8]) is 0, that one included.
    mutating func topology(_ key: LeafKey) {
        let function = key.leaf
        guard !profile.leaves.reportsHostTopology else {
            keep(key, .eax, rule: .leaf(function, "host topology passed through (before 6.2)"))
            var previous = key
            var index: UInt32 = 1
            while value(previous, .ecx) & 0xff00 != 0, index < 64 {
                previous = hostEntry(function, index, missingMeans: "the subleaf that ends the list (level type 0)")
                keep(previous, .eax, rule: .leaf(function, "subleaf read because the previous subleaf's level type was not 0 (before 6.2)"))
                index += 1
            }
            return
        }
        zero(key, [.eax, .ebx, .ecx], rule: .leaf(function, "EAX = EBX = ECX = 0: KVM reports no topology (a VMM adds subleaf 1)"))
        keep(key, .edx, rule: .leaf(function, "EDX (x2APIC ID) passed through from the host"))
    }

    mutating func leaf14(_ key: LeafKey) {
        guard caps.has(.cpuid_7_0_EBX, bit: 25) else {
            zeroLeaf(key, because: "KVM's caps lack INTEL_PT")
            return
        }
        keep(key, .eax, rule: .leaf(0x14, "Intel PT capabilities passed through from the host"))
        let maxIndex = value(key, .eax)
        var index: UInt32 = 1
        while index <= maxIndex, index < 64 {
            let sub = hostEntry(0x14, index)
            keep(sub, .eax, rule: .leaf(0x14, "Intel PT subleaf passed through from the host"))
            index += 1
        }
    }

    mutating func leaf1D(_ key: LeafKey) {
        guard caps.has(.cpuid_7_EDX, bit: 24) else {
            zeroLeaf(key, because: "KVM's caps lack AMX_TILE")
            return
        }
        keep(key, .eax, rule: .leaf(0x1D, "AMX palette information passed through from the host"))
        let maxIndex = value(key, .eax)
        var index: UInt32 = 1
        while index <= maxIndex, index < 64 {
            let sub = hostEntry(0x1D, index)
            keep(sub, .eax, rule: .leaf(0x1D, "AMX palette passed through from the host"))
            index += 1
        }
    }

    mutating func leaf1E(_ key: LeafKey) {
        guard caps.has(.cpuid_7_EDX, bit: 24) else {
            zeroLeaf(key, because: "KVM's caps lack AMX_TILE")
            return
        }
        guard profile.words.contains(.cpuid_1E_1_EAX) else {
            keep(key, .ebx, rule: .leaf(0x1E, "TMUL information passed through from the host"))
            return
        }
        let maxIndex = min(value(key, .eax), 1)
        assign(key, .eax, maxIndex, rule: .leaf(0x1E, "EAX = min(host max subleaf, 1)"))
        for register in [Register.ebx, .ecx, .edx] {
            keep(key, register, rule: .leaf(0x1E, "TMUL information passed through from the host"))
        }
        if maxIndex >= 1 {
            let one = hostEntry(0x1E, 1)
            override(one, with: .cpuid_1E_1_EAX)
            zero(one, [.ebx, .ecx, .edx], rule: .leaf(0x1E, "0x1E.1 EBX = ECX = EDX = 0"))
        }
    }

    mutating func leaf24(_ key: LeafKey) {
        guard caps.has(.cpuid_7_1_EDX, bit: 19) else {
            zeroLeaf(key, because: "KVM's caps lack AVX10")
            return
        }
        let cap = profile.leaves.maxAVX10Version
        let version = min(value(key, .ebx) & 0xff, cap)
        let hasSubleaf1 = profile.words.contains(.cpuid_24_1_ECX)
        let maxIndex = hasSubleaf1 ? min(value(key, .eax), 1) : 0
        override(key, with: .cpuid_24_0_EBX)
        assign(key, .ebx, version, mask: 0xff,
               rule: .leaf(0x24, "EBX[7:0] = min(host AVX10 version, \(cap))"))
        if hasSubleaf1 {
            assign(key, .eax, maxIndex, rule: .leaf(0x24, "EAX = min(host max subleaf, 1)"))
            zero(key, [.ecx, .edx], rule: .leaf(0x24, "ECX = EDX = 0"))
        } else {
            zero(key, [.eax, .ecx, .edx], rule: .leaf(0x24, "EAX = ECX = EDX = 0"))
        }
        if maxIndex >= 1 {
            let one = hostEntry(0x24, 1)
            override(one, with: .cpuid_24_1_ECX)
            zero(one, [.eax, .ebx, .edx], rule: .leaf(0x24, "0x24.1 EAX = EBX = EDX = 0"))
        }
    }
}
