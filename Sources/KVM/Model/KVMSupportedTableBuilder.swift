import CPUID

/// Replays kvm_dev_ioctl_get_cpuid(): walks the leaf ranges as the kernel does, reads host entries with
/// do_host_cpuid(), and applies each leaf's rule from __do_cpuid_func(), recording the rule for every bit.
struct KVMSupportedTableBuilder {
    let profile: KVMKernelProfile
    let module: KVMModuleOptions
    let host: KVMHostFacts
    let caps: KVMCapabilities
    private(set) var entries: [CPUIDEntry] = []
    private(set) var rules: [LeafKey: [Register: [KVMFieldRule]]] = [:]
    private(set) var notes: [String] = []

    init(profile: KVMKernelProfile, module: KVMModuleOptions, host: KVMHostFacts, caps: KVMCapabilities) {
        self.profile = profile
        self.module = module
        self.host = host
        self.caps = caps
    }

    /// The host's own max extended leaf as the kernel reads it (`cpuid_eax(0x80000000)`).
    var hostMaxExtended: UInt32 { host.raw.value(0x8000_0000, 0, .eax) }

    // MARK: - The walk (kvm_dev_ioctl_get_cpuid / get_cpuid_func)

    mutating func build() {
        walk(from: 0)
        walk(from: 0x8000_0000)
        if host.vendor == .centaur || (host.vendor == .zhaoxin && profile.leaves.walksCentaurRangeOnZhaoxin) {
            walk(from: 0xC000_0000)
        }
        walk(from: 0x4000_0000)
    }

    private mutating func walk(from first: UInt32) {
        doFunction(first)
        guard let last = entries.last else { return }
        let limit = last.registers.eax
        guard limit > first else { return }
        var function = first + 1
        while function <= limit {
            doFunction(function)
            if function == UInt32.max { break }
            function += 1
        }
    }

    // MARK: - Entries and rules

    /// do_host_cpuid(): a new entry with the host's registers (zeros for hypervisor leaves and for
    /// extended leaves past the host's max), flagged index-significant for indexed leaves.
    @discardableResult
    mutating func hostEntry(_ function: UInt32, _ index: UInt32, missingMeans: String? = nil) -> LeafKey {
        let key = LeafKey(function, index)
        var registers = Registers.zero
        var significant = false
        var reason = "do_host_cpuid: the host's CPUID"
        if function & 0xC000_0000 == 0x4000_0000 {
            reason = "do_host_cpuid: hypervisor leaves start from zeros"
        } else if function & 0xC000_0000 == 0x8000_0000, function > hostMaxExtended {
            reason = "do_host_cpuid: zeros past the host's max extended leaf \(Hex.word(hostMaxExtended))"
        } else {
            if let found = host.raw.registers(function, index) {
                registers = found
            } else if let missingMeans {
                reason = "do_host_cpuid: not in the dump, which is read as zeros: \(missingMeans)"
            } else {
                notes.append("the host dump has no entry \(key); KVM would read the CPU, the model reads zeros")
                reason = "do_host_cpuid: the host's CPUID (missing from the dump: zeros)"
            }
            significant = profile.indexedLeaves.contains(function)
        }
        entries.append(CPUIDEntry(key: key, registers: registers, significantIndex: significant))
        var perRegister: [Register: [KVMFieldRule]] = [:]
        for register in Register.allCases {
            perRegister[register] = [KVMFieldRule(mask: .max, rule: KVMRule(kind: .leaf, source: "do_host_cpuid",
                                                                               summary: reason))]
        }
        rules[key] = perRegister
        return key
    }

    func value(_ key: LeafKey, _ register: Register) -> UInt32 {
        entries.last { $0.key == key }?.registers[register] ?? 0
    }

    /// Sets the bits of `mask` in one register to those of `newValue`, recording `rule` for them.
    mutating func assign(_ key: LeafKey, _ register: Register, _ newValue: UInt32, mask: UInt32 = .max,
                         rule: KVMRule) {
        guard let i = entries.lastIndex(where: { $0.key == key }) else { return }
        let old = entries[i].registers[register]
        entries[i].registers[register] = (old & ~mask) | (newValue & mask)
        rules[key, default: [:]][register, default: []].append(KVMFieldRule(mask: mask, rule: rule))
    }

    /// Records a rule for bits that keep their host value (a pass-through the kernel states explicitly).
    mutating func keep(_ key: LeafKey, _ register: Register, mask: UInt32 = .max, rule: KVMRule) {
        rules[key, default: [:]][register, default: []].append(KVMFieldRule(mask: mask, rule: rule))
    }

    /// `entry->reg &= mask`.
    mutating func and(_ key: LeafKey, _ register: Register, _ mask: UInt32, rule: KVMRule) {
        assign(key, register, 0, mask: ~mask, rule: rule)
        keep(key, register, mask: mask, rule: .leaf(key.leaf, "\(register) bits kept by `\(register) &= \(Hex.word(mask))`"))
    }

    /// Zeroes the listed registers with one rule.
    mutating func zero(_ key: LeafKey, _ registers: [Register], rule: KVMRule) {
        for register in registers { assign(key, register, 0, rule: rule) }
    }

    /// `cpuid_entry_override(entry, word)`: the register becomes KVM's capability word, bit by bit traced.
    mutating func override(_ key: LeafKey, with word: KVMCapabilityWord) {
        guard let i = entries.lastIndex(where: { $0.key == key }) else { return }
        entries[i].registers[word.register] = caps.value(word)
        for bit in 0..<32 {
            guard let trace = caps.trace(word, bit: bit) else { continue }
            rules[key, default: [:]][word.register, default: []]
                .append(KVMFieldRule(mask: UInt32(1) << UInt32(bit), rule: .capability(trace)))
        }
    }

    mutating func note(_ text: String) { notes.append(text) }

    func result() -> (Snapshot, [LeafKey: [Register: [KVMFieldRule]]], [String]) {
        var seen = Set<String>()
        let unique = notes.filter { seen.insert($0).inserted }
        return (Snapshot(entries), rules, unique)
    }
}
