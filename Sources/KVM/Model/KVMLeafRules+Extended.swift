import CPUID

/// Extended leaves 0x80000000-0x80000022.
extension KVMSupportedTableBuilder {
    mutating func extended0(_ key: LeafKey) {
        let hostMax = value(key, .eax)
        var limit = min(hostMax, profile.maxExtendedLeaf)
        assign(key, .eax, limit,
               rule: .leaf(0x8000_0000, "EAX = min(host max \(Hex.word(hostMax)), \(Hex.word(profile.maxExtendedLeaf))): the highest extended leaf KVM implements in Linux \(profile.version)"))
        if profile.leaves.raisesExtendedMaxFor21, limit >= 0x8000_001D {
            let lfence = host.has("LFENCE_RDTSC")
            let nullSeg = host.bug("NULL_SEG")
            if lfence.value || !nullSeg.value {
                let raised = max(limit, 0x8000_0021)
                if raised != limit {
                    limit = raised
                    assign(key, .eax, limit,
                           rule: .leaf(0x8000_0000, "EAX raised to 0x80000021 so that KVM can report serializing LFENCE / NullSelectorClearsBase (\(lfence.basis); \(nullSeg.basis))"))
                }
            }
        }
        for register in [Register.ebx, .ecx, .edx] {
            keep(key, register, rule: .leaf(0x8000_0000, "passed through from the host"))
        }
    }

    mutating func extended1(_ key: LeafKey) {
        keep(key, .eax, rule: .leaf(0x8000_0001, "signature passed through from the host"))
        if profile.leaves.clearsReservedExtendedBits {
            assign(key, .ebx, value(key, .ebx) & ~0x0FFF_0000, mask: 0x0FFF_0000,
                   rule: .leaf(0x8000_0001, "EBX[27:16] (reserved) cleared"))
        }
        override(key, with: .cpuid_8000_0001_EDX)
        override(key, with: .cpuid_8000_0001_ECX)
    }

    mutating func extended6(_ key: LeafKey) {
        keep(key, .ecx, rule: .leaf(0x8000_0006, "host L2 cache and TLB information passed through"))
        if profile.leaves.clearsReservedExtendedBits {
            assign(key, .edx, value(key, .edx) & ~0x0003_0000, mask: 0x0003_0000,
                   rule: .leaf(0x8000_0006, "EDX[17:16] (reserved) cleared"))
        }
    }

    mutating func extended7(_ key: LeafKey) {
        let power = host.power
        if profile.words.contains(.cpuid_8000_0007_EDX) {
            override(key, with: .cpuid_8000_0007_EDX)
        } else {
            assign(key, .edx, value(key, .edx) & (1 << 8),
                   rule: .leaf(0x8000_0007, "EDX &= bit 8: only the invariant TSC is offered"))
        }
        assign(key, .edx, value(key, .edx) & power, mask: ~power,
               rule: .leaf(0x8000_0007, "EDX &= boot_cpu_data.x86_power (\(Hex.word(power)))"))
        zero(key, [.eax, .ebx, .ecx], rule: .leaf(0x8000_0007, "EAX = EBX = ECX = 0"))
    }

    mutating func extended8(_ key: LeafKey) {
        let eax = value(key, .eax)
        let virtual = max((eax >> 8) & 0xff, 48)
        let physical = eax & 0xff
        if profile.leaves.reportsGuestPhysAddrSize {
            var phys = physical
            var guestPhys: UInt32
            var text: String
            if !module.tdp {
                phys = host.physicalAddressBits
                guestPhys = 0
                text = "without TDP: PhysAddrSize = the host's MAXPHYADDR, GuestPhysAddrSize = 0"
            } else {
                guestPhys = physical
                text = "with TDP: PhysAddrSize = the raw MAXPHYADDR (\(physical))"
                if !host.fiveLevelTDP {
                    guestPhys = min(guestPhys, 48)
                    text += ", GuestPhysAddrSize capped at 48 (4-level TDP, inferred from no LA57)"
                } else {
                    text += ", GuestPhysAddrSize = the same (5-level TDP)"
                }
            }
            assign(key, .eax, phys | (virtual << 8) | (guestPhys << 16),
                   rule: .leaf(0x8000_0008, "EAX = PhysAddrSize | max(VirtAddrSize, 48) << 8 | GuestPhysAddrSize << 16; \(text)"))
        } else {
            var guestPhys = (eax >> 16) & 0xff
            let text: String
            if !module.tdp, profile.leaves.usesHostPhysBitsWithoutTDP {
                guestPhys = host.physicalAddressBits
                text = "without TDP: the host's MAXPHYADDR"
            } else if guestPhys == 0 {
                guestPhys = physical
                text = "GuestPhysAddrSize is 0, so the raw MAXPHYADDR"
            } else {
                text = "the host's GuestPhysAddrSize"
            }
            assign(key, .eax, guestPhys | (virtual << 8),
                   rule: .leaf(0x8000_0008, "EAX = physical bits (\(text)) | max(VirtAddrSize, 48) << 8"))
        }
        if profile.leaves.clearsReservedExtendedBits {
            assign(key, .ecx, value(key, .ecx) & ~0xFFFF_0F00, mask: 0xFFFF_0F00,
                   rule: .leaf(0x8000_0008, "ECX[31:16] and ECX[11:8] cleared"))
        }
        assign(key, .edx, 0, rule: .leaf(0x8000_0008, "EDX = 0"))
        override(key, with: .cpuid_8000_0008_EBX)
    }

    mutating func extendedA(_ key: LeafKey) {
        guard caps.has(.cpuid_8000_0001_ECX, bit: 2) else {
            zeroLeaf(key, because: "KVM's caps lack SVM (nested SVM off or not AMD)")
            return
        }
        assign(key, .eax, 1, rule: .leaf(0x8000_000A, "EAX = 1: SVM revision 1"))
        assign(key, .ebx, 8, rule: .leaf(0x8000_000A, "EBX = 8 ASIDs"))
        assign(key, .ecx, 0, rule: .leaf(0x8000_000A, "ECX = 0 (reserved)"))
        override(key, with: .cpuid_8000_000A_EDX)
    }

    /// Zeroed from 6.2 by the fix that stopped KVM_GET_SUPPORTED_CPUID from returning host topology
    /// (with leaves 0xB/0x1F); passed through in 6.1 as released.
    mutating func extended1E(_ key: LeafKey) {
        if !profile.leaves.reportsHostTopology {
            zeroLeaf(key, because: "KVM does not return host topology information")
        } else {
            keep(key, .eax, rule: .leaf(0x8000_001E, "host topology passed through (before 6.2)"))
        }
    }

    mutating func extended1F(_ key: LeafKey) {
        guard profile.leaves.hasSEVWord else {
            let sev = host.has("SEV")
            if sev.value {
                keep(key, .eax, rule: .leaf(0x8000_001F, "passed through from the host: \(sev.basis) (before the SEV word)"))
            } else {
                zeroLeaf(key, because: sev.basis)
            }
            return
        }
        guard caps.has(.cpuid_8000_001F_EAX, bit: 1) else {
            zeroLeaf(key, because: "KVM's caps lack SEV")
            return
        }
        override(key, with: .cpuid_8000_001F_EAX)
        if profile.leaves.clearsReservedExtendedBits {
            assign(key, .ebx, value(key, .ebx) & ~0xFFFF_FFC0, mask: 0xFFFF_FFC0,
                   rule: .leaf(0x8000_001F, "EBX[31:12] (NumVMPL) and EBX[11:6] (PA bits reduction) cleared"))
        } else {
            assign(key, .ebx, value(key, .ebx) & ~0x0000_0FC0, mask: 0x0000_0FC0,
                   rule: .leaf(0x8000_001F, "EBX[11:6] (PA bits reduction) cleared"))
        }
    }

    mutating func extended21(_ key: LeafKey) {
        if profile.leaves.extendedFeatures2 == .capabilityWords {
            if profile.leaves.keepsRAPSizeWithERAPS, caps.has("ERAPS") {
                and(key, .ebx, 0x00FF_0000,
                    rule: .leaf(0x8000_0021, "EBX &= GENMASK(23, 16): the RAP size, with ERAPS in KVM's caps"))
                zero(key, [.edx], rule: .leaf(0x8000_0021, "EDX = 0"))
            } else {
                zero(key, [.ebx, .edx], rule: .leaf(0x8000_0021, "EBX = EDX = 0"))
            }
            override(key, with: .cpuid_8000_0021_EAX)
            if profile.words.contains(.cpuid_8000_0021_ECX) {
                override(key, with: .cpuid_8000_0021_ECX)
            } else {
                assign(key, .ecx, 0, rule: .leaf(0x8000_0021, "ECX = 0"))
            }
            return
        }
        zero(key, [.ebx, .ecx, .edx], rule: .leaf(0x8000_0021, "EBX = ECX = EDX = 0"))
        let kept: UInt32 = (1 << 0) | (1 << 2) | (1 << 6)
        assign(key, .eax, value(key, .eax) & kept,
               rule: .leaf(0x8000_0021, "EAX &= BIT(0) | BIT(2) | BIT(6): NoNestedDataBp, LFENCE serializing, NullSelectorClearsBase"))
        let lfence = host.has("LFENCE_RDTSC")
        if lfence.value {
            assign(key, .eax, 1 << 2, mask: 1 << 2, rule: .leaf(0x8000_0021, "EAX[2] set: \(lfence.basis)"))
        }
        let nullSeg = host.bug("NULL_SEG")
        if !nullSeg.value {
            assign(key, .eax, 1 << 6, mask: 1 << 6, rule: .leaf(0x8000_0021, "EAX[6] set: \(nullSeg.basis)"))
        }
        if profile.leaves.extendedFeatures2 == .passDown(setsNoSMMCtl: true) {
            assign(key, .eax, 1 << 9, mask: 1 << 9,
                   rule: .leaf(0x8000_0021, "EAX[9] set always: KVM does not support the SMM_CTL MSR"))
        }
    }

    mutating func extended22(_ key: LeafKey) {
        zero(key, [.ecx, .edx], rule: .leaf(0x8000_0022, "ECX = EDX = 0"))
        guard module.enablePMU, caps.has(.cpuid_8000_0022_EAX, bit: 0) else {
            if profile.leaves.perfMonV2Leaf == .copiesHostEBX {
                assign(key, .eax, value(key, .ebx),
                       rule: .leaf(0x8000_0022,
                                   "EAX = the host's EBX: no PMU or no PerfMonV2 in KVM's caps (this release writes eax = ebx)"))
                keep(key, .ebx, rule: .leaf(0x8000_0022, "EBX left as the host's (no PMU or no PerfMonV2)"))
            } else {
                zero(key, [.eax, .ebx], rule: .leaf(0x8000_0022, "EAX = EBX = 0: no PMU or no PerfMonV2 in KVM's caps"))
            }
            return
        }
        override(key, with: .cpuid_8000_0022_EAX)
        keep(key, .ebx, rule: .notModelled(0x8000_0022, "EBX (number of core counters) comes from perf's kvm_pmu_cap; the host's value is shown"))
    }
}
