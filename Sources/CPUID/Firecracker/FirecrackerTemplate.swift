/// A Firecracker custom CPU template (docs/cpu_templates/schema.json in Firecracker): CPUID modifiers that set,
/// clear or keep each bit of a register, MSR modifiers, and the members Firecracker uses on other architectures.
///
/// vcpuid reads one to apply it to a guest table and writes one to export a guest policy. Members it does not
/// interpret are kept as read, so a template read and written again is unchanged.
public struct FirecrackerTemplate: Hashable, Sendable {
    /// One register's bitmap within a CPUID modifier.
    public struct RegisterModifier: Hashable, Sendable {
        public var register: Register
        public var bitmap: TemplateBitmap

        public init(register: Register, bitmap: TemplateBitmap) {
            self.register = register
            self.bitmap = bitmap
        }
    }

    /// The modifiers for one (leaf, subleaf); `flags` are KVM's entry flags (1 = the subleaf is significant).
    public struct CPUIDModifier: Hashable, Sendable {
        public var leaf: UInt32
        public var subleaf: UInt32
        public var flags: UInt32
        public var modifiers: [RegisterModifier]

        public init(leaf: UInt32, subleaf: UInt32, flags: UInt32, modifiers: [RegisterModifier]) {
            self.leaf = leaf
            self.subleaf = subleaf
            self.flags = flags
            self.modifiers = modifiers
        }

        public var key: LeafKey { LeafKey(leaf, subleaf) }
    }

    /// A model-specific register's 64-bit bitmap.
    public struct MSRModifier: Hashable, Sendable {
        public var address: UInt32
        public var bitmap: TemplateBitmap

        public init(address: UInt32, bitmap: TemplateBitmap) {
            self.address = address
            self.bitmap = bitmap
        }
    }

    public var cpuidModifiers: [CPUIDModifier]
    public var msrModifiers: [MSRModifier]
    /// Top-level members kept verbatim (`kvm_capabilities`, `reg_modifiers`, `vcpu_features`).
    public var otherMembers: [JSONValue.Member]
    /// Top-level member names in the order read; writing follows it.
    public var memberOrder: [String]

    public init(cpuidModifiers: [CPUIDModifier], msrModifiers: [MSRModifier] = [],
                otherMembers: [JSONValue.Member] = []) {
        self.cpuidModifiers = cpuidModifiers
        self.msrModifiers = msrModifiers
        self.otherMembers = otherMembers
        self.memberOrder = ["cpuid_modifiers"] + (msrModifiers.isEmpty ? [] : ["msr_modifiers"]) + otherMembers.map(\.key)
    }

    /// KVM_CPUID_FLAG_SIGNIFCANT_INDEX, the one entry flag a template sets.
    public static let significantIndexFlag: UInt32 = 1

    /// Top-level members of the schema.
    public static let knownMembers: Set<String> = [
        "cpuid_modifiers", "msr_modifiers", "reg_modifiers", "kvm_capabilities", "vcpu_features",
    ]

    // MARK: applying

    /// The table after every CPUID modifier, in order. A modifier for an entry the table lacks creates it
    /// (other registers zero, the subleaf significant when `flags` says so), as Firecracker does.
    public func apply(to table: Snapshot) -> Snapshot {
        var result = table
        for modifier in cpuidModifiers {
            var entry = result.entry(modifier.leaf, modifier.subleaf)
                ?? CPUIDEntry(key: modifier.key, registers: .zero,
                              significantIndex: modifier.flags & Self.significantIndexFlag != 0)
            for registerModifier in modifier.modifiers {
                let old = UInt64(entry.registers[registerModifier.register])
                entry.registers[registerModifier.register] = UInt32(truncatingIfNeeded: registerModifier.bitmap.applied(to: old))
            }
            result.set(entry)
        }
        return result
    }

    /// One register whose value disagrees with what the template decides.
    public struct Mismatch: Hashable, Sendable {
        public var key: LeafKey
        public var register: Register
        /// Everything the template decides for this register, later modifiers overriding earlier ones.
        public var bitmap: TemplateBitmap
        /// The register's value in the table; nil when the table has no such entry.
        public var actual: UInt32?
    }

    /// The registers of `table` that disagree with a decided bit: empty when the table is what this template asks for.
    public func mismatches(in table: Snapshot) -> [Mismatch] {
        var seen = Set<String>()
        var found: [Mismatch] = []
        for modifier in cpuidModifiers {
            for registerModifier in modifier.modifiers where seen.insert("\(modifier.key)/\(registerModifier.register)").inserted {
                let bitmap = netBitmap(for: modifier.key, register: registerModifier.register)
                let actual = table.entry(modifier.leaf, modifier.subleaf)?.registers[registerModifier.register]
                if actual.map({ !bitmap.matches(UInt64($0)) }) ?? true {
                    found.append(Mismatch(key: modifier.key, register: registerModifier.register, bitmap: bitmap, actual: actual))
                }
            }
        }
        return found
    }

    /// All of this template's bitmaps for one register combined: later decisions override earlier ones.
    func netBitmap(for key: LeafKey, register: Register) -> TemplateBitmap {
        var filter: UInt64 = 0
        var value: UInt64 = 0
        for modifier in cpuidModifiers where modifier.key == key {
            for registerModifier in modifier.modifiers where registerModifier.register == register {
                let bitmap = registerModifier.bitmap
                value = (value & ~bitmap.filter) | bitmap.value
                filter |= bitmap.filter
            }
        }
        return TemplateBitmap(filter: filter, value: value, width: 32)
    }

    // MARK: building from tables

    /// The template that turns `base` into `target`: for each entry, only the bits that differ are decided;
    /// an entry the base lacks is given whole. An entry only the base has is zeroed (a template cannot delete).
    public static func difference(from base: Snapshot, to target: Snapshot) -> FirecrackerTemplate {
        var modifiers: [CPUIDModifier] = []
        let keys = Set(base.keys).union(target.keys).sorted()
        for key in keys {
            let targetEntry = target.entry(key.leaf, key.subleaf)
            let baseEntry = base.entry(key.leaf, key.subleaf)
            let flags = (targetEntry ?? baseEntry).map { $0.significantIndex ? significantIndexFlag : 0 } ?? 0
            var registerModifiers: [RegisterModifier] = []
            for register in Register.allCases {
                let wanted = UInt64(targetEntry?.registers[register] ?? 0)
                if let baseEntry, targetEntry != nil {
                    let changed = UInt64(baseEntry.registers[register]) ^ wanted
                    if changed != 0 {
                        registerModifiers.append(RegisterModifier(register: register,
                                                                  bitmap: TemplateBitmap(filter: changed, value: wanted, width: 32)))
                    }
                } else {
                    registerModifiers.append(RegisterModifier(register: register, bitmap: .exactly(wanted, width: 32)))
                }
            }
            if !registerModifiers.isEmpty {
                modifiers.append(CPUIDModifier(leaf: key.leaf, subleaf: key.subleaf, flags: flags, modifiers: registerModifiers))
            }
        }
        // msr_modifiers: Firecracker applies (KVM's value & ~filter) | value, so only the changed bits are decided;
        // an MSR the base lacks is given whole.
        var msrModifiers: [MSRModifier] = []
        for msr in target.msrs {
            guard let wanted = msr.value.bits else { continue }
            if let old = base.msr(msr.index)?.bits {
                let changed = old ^ wanted
                if changed != 0 { msrModifiers.append(MSRModifier(address: msr.index, bitmap: TemplateBitmap(filter: changed, value: wanted, width: 64))) }
            } else {
                msrModifiers.append(MSRModifier(address: msr.index, bitmap: .exactly(wanted, width: 64)))
            }
        }
        return FirecrackerTemplate(cpuidModifiers: modifiers, msrModifiers: msrModifiers)
    }

    /// A template deciding every bit of every entry of `table`.
    public static func describing(_ table: Snapshot) -> FirecrackerTemplate {
        FirecrackerTemplate(cpuidModifiers: table.entries.map { entry in
            CPUIDModifier(leaf: entry.leaf, subleaf: entry.subleaf,
                          flags: entry.significantIndex ? significantIndexFlag : 0,
                          modifiers: Register.allCases.map {
                              RegisterModifier(register: $0, bitmap: .exactly(UInt64(entry.registers[$0]), width: 32))
                          })
        }, msrModifiers: table.msrs.compactMap { msr in
            msr.value.bits.map { MSRModifier(address: msr.index, bitmap: .exactly($0, width: 64)) }
        })
    }

    // MARK: writing

    /// The template as Firecracker reads it: pretty JSON, members in the order read.
    public func rendered() -> String { json.rendered() }

    public var json: JSONValue {
        var members: [JSONValue.Member] = []
        var order = memberOrder
        for name in ["cpuid_modifiers", "msr_modifiers"] + otherMembers.map(\.key) where !order.contains(name) {
            if name == "msr_modifiers" && msrModifiers.isEmpty { continue }
            order.append(name)
        }
        for name in order {
            switch name {
            case "cpuid_modifiers":
                members.append(.init(name, .array(cpuidModifiers.map { modifier in
                    .object([
                        .init("leaf", .string(Self.hex(modifier.leaf))),
                        .init("subleaf", .string(Self.hex(modifier.subleaf))),
                        .init("flags", .number(String(modifier.flags))),
                        .init("modifiers", .array(modifier.modifiers.map { registerModifier in
                            .object([
                                .init("register", .string(String(describing: registerModifier.register).lowercased())),
                                .init("bitmap", .string(registerModifier.bitmap.description)),
                            ])
                        })),
                    ])
                })))
            case "msr_modifiers":
                members.append(.init(name, .array(msrModifiers.map { modifier in
                    .object([
                        .init("addr", .string(Self.hex(modifier.address))),
                        .init("bitmap", .string(modifier.bitmap.description)),
                    ])
                })))
            default:
                if let member = otherMembers.first(where: { $0.key == name }) { members.append(member) }
            }
        }
        return .object(members)
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    /// Writes the template atomically (a temporary file next to `path`, synced, renamed over it), as dumps are.
    public func write(to path: String) throws(FirecrackerTemplateError) {
        do {
            try DumpWriter.writeAtomically(rendered(), to: path)
        } catch {
            throw FirecrackerTemplateError(file: path, message: "cannot write the template: \(error)")
        }
    }
}
