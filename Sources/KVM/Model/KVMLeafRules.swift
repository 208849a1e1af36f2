import CPUID

/// __do_cpuid_func(): one case per leaf, dispatched here; the cases live in the KVMLeafRules+* files.
extension KVMSupportedTableBuilder {
    mutating func doFunction(_ function: UInt32) {
        let key = hostEntry(function, 0)
        switch function {
        case 0: leaf0(key)
        case 1: leaf1(key)
        case 2: keep(key, .eax, rule: .leaf(2, "passed through from the host (cache descriptors)"))
        case 4, 0x8000_001D: cacheSubleaves(key)
        case 6: leaf6(key)
        case 7: leaf7(key)
        case 0xA: leafA(key)
        case 0xB, 0x1F: topology(key)
        case 0xD: leafD(key)
        case 0x14: leaf14(key)
        case 0x1D: leaf1D(key)
        case 0x1E: leaf1E(key)
        case 9 where profile.leaves.passesThroughLeaf9:
            keep(key, .eax, rule: .leaf(9, "passed through from the host (direct cache access)"))
        case 0x12 where profile.leaves.handlesSGXLeaf: leaf12(key)
        case 0x24 where profile.words.contains(.cpuid_24_0_EBX): leaf24(key)
        case 0x4000_0000: hypervisorSignature(key)
        case 0x4000_0001: hypervisorFeatures(key)
        case 0x8000_0000: extended0(key)
        case 0x8000_0001: extended1(key)
        case 0x8000_0005 where profile.leaves.passesThroughL1CacheLeaf:
            keep(key, .eax, rule: .leaf(function, "host L1 cache and TLB information passed through"))
        case 0x8000_0006: extended6(key)
        case 0x8000_0007: extended7(key)
        case 0x8000_0008: extended8(key)
        case 0x8000_000A: extendedA(key)
        case 0x8000_0019:
            zero(key, [.ecx, .edx], rule: .leaf(function, "ECX = EDX = 0"))
        case 0x8000_001A where profile.leaves.clearsReservedExtendedBits:
            and(key, .eax, 0x7, rule: .leaf(function, "EAX &= GENMASK(2, 0)"))
            zero(key, [.ebx, .ecx, .edx], rule: .leaf(function, "EBX = ECX = EDX = 0"))
        case 0x8000_001A:
            keep(key, .eax, rule: .leaf(function, "passed through from the host (5.x has no clean-up of this leaf)"))
        case 0x8000_001E: extended1E(key)
        case 0x8000_001F: extended1F(key)
        case 0x8000_0021 where profile.leaves.extendedFeatures2 != .unhandled: extended21(key)
        case 0x8000_0022 where profile.leaves.perfMonV2Leaf != .unhandled: extended22(key)
        case 0xC000_0000:
            assign(key, .eax, min(value(key, .eax), 0xC000_0004),
                   rule: .leaf(function, "EAX = min(EAX, 0xC0000004): Centaur leaves up to 0xC0000004"))
        case 0xC000_0001:
            override(key, with: .cpuid_C000_0001_EDX)
        default:
            zero(key, Register.allCases, rule: .leaf(function, "not a leaf KVM reports: all registers 0 (default case)"))
        }
    }

    /// A "whole leaf is zero" rule with the condition that caused it.
    mutating func zeroLeaf(_ key: LeafKey, because reason: String) {
        zero(key, Register.allCases, rule: .leaf(key.leaf, "all registers 0: \(reason)"))
    }
}
