import CPUID

/// One register's difference the run-time field table explains.
public struct RuntimeDifference: Hashable, Sendable, CustomStringConvertible {
    public var field: KVMRuntimeField
    /// The field's bits in the table and in what the guest saw.
    public var expected: UInt32
    public var observed: UInt32

    public init(field: KVMRuntimeField, expected: UInt32, observed: UInt32) {
        self.field = field
        self.expected = expected
        self.observed = observed
    }

    public var description: String {
        "\(field.name): \(Hex.word(expected)) -> \(Hex.word(observed)) (follows \(field.follows))"
    }
}

/// Bits of one register where the guest saw something other than the table: either changes KVM made
/// when it took the table (KVM_GET_CPUID2 shows them) or real mismatches.
public struct RegisterDifference: Hashable, Sendable, CustomStringConvertible {
    public var register: Register
    public var expected: UInt32
    public var observed: UInt32
    /// The differing bits this difference is about (run-time fields excluded).
    public var bits: UInt32

    public init(register: Register, expected: UInt32, observed: UInt32, bits: UInt32) {
        self.register = register
        self.expected = expected
        self.observed = observed
        self.bits = bits
    }

    public var description: String {
        "\(register) table \(Hex.word(expected)) guest \(Hex.word(observed)) (bits \(Hex.word(bits)))"
    }
}

/// What the guest saw for one probe, what it should have seen, and how every difference is classified.
public struct ProbeFinding: Hashable, Sendable, CustomStringConvertible {
    public var target: ProbeTarget
    /// What upstream KVM's lookup rule gives for the table.
    public var expected: Registers
    public var rule: KVMCPUIDLookup.Rule
    public var observed: Registers
    /// Differences in fields KVM fills at run time: expected, named.
    public var runTime: [RuntimeDifference]
    /// Differences KVM announced: it changed these bits when it took the table (KVM_GET_CPUID2 shows the
    /// value the guest saw), e.g. a KVM variant that overrides feature leaves.
    public var changedByKVM: [RegisterDifference]
    /// Differences nothing explains: real mismatches.
    public var mismatches: [RegisterDifference]
    /// For out-of-range probes: which rule this machine's answer matches (checked, not assumed).
    public var observedRule: KVMCPUIDLookup.Rule?

    /// An out-of-range probe answered by a known rule other than upstream KVM's for this table
    /// (e.g. zeros where upstream returns the max basic leaf for an Intel vendor): this machine's
    /// behaviour, reported, not a mismatch of the table.
    public var isOutOfRangeDeviation: Bool {
        target.kind != .tableEntry && observedRule != nil && observedRule != rule
    }

    /// The guest saw exactly the expected registers.
    public var isExact: Bool { expected == observed }
    public var isMismatch: Bool { !mismatches.isEmpty }

    /// One line: the probe, the verdict, and every classified difference.
    public var description: String {
        var parts: [String] = []
        if isOutOfRangeDeviation, let observedRule {
            parts.append("answered by \(observedRule), where upstream KVM gives \(rule)")
        } else if isExact {
            parts.append(target.kind == .tableEntry ? "as set" : "as expected (\(rule))")
        }
        if !runTime.isEmpty { parts.append("run-time: " + runTime.map(\.description).joined(separator: "; ")) }
        if !changedByKVM.isEmpty { parts.append("changed by KVM at KVM_SET_CPUID2: " + changedByKVM.map(\.description).joined(separator: "; ")) }
        if !mismatches.isEmpty { parts.append("MISMATCH: " + mismatches.map(\.description).joined(separator: "; ")) }
        if parts.isEmpty { parts.append("as expected (\(rule))") }
        return "\(target): " + parts.joined(separator: " | ")
    }
}

/// The classification of a whole probe run: table entries seen as set, run-time fields, out-of-range
/// behaviour, and real mismatches.
public struct ProbeComparison: Hashable, Sendable {
    public var findings: [ProbeFinding]

    public var tableFindings: [ProbeFinding] { findings.filter { $0.target.kind == .tableEntry } }
    public var outOfRangeFindings: [ProbeFinding] { findings.filter { $0.target.kind != .tableEntry } }
    public var mismatches: [ProbeFinding] { findings.filter(\.isMismatch) }
    public var runTimeDifferences: [(key: LeafKey, difference: RuntimeDifference)] {
        findings.flatMap { finding in finding.runTime.map { (finding.target.key, $0) } }
    }
    /// Table entries the guest saw as set (up to run-time fields).
    public var verifiedEntryCount: Int { tableFindings.filter { !$0.isMismatch }.count }
    public var hasMismatch: Bool { findings.contains(where: \.isMismatch) }
    /// Out-of-range probes answered by another known rule than upstream KVM's.
    public var outOfRangeDeviations: [ProbeFinding] { findings.filter(\.isOutOfRangeDeviation) }
    /// Findings where the guest saw a value KVM changed when it took the table.
    public var changedByKVM: [ProbeFinding] { findings.filter { !$0.changedByKVM.isEmpty } }

    public init(findings: [ProbeFinding]) {
        self.findings = findings
    }

    /// Compares what the guest reported with what the table makes KVM return. `held` is the table
    /// KVM_GET_CPUID2 returned (nil: same as `table`); bits where the guest agrees with it are changes KVM
    /// announced, not mismatches.
    public static func compare(table: Snapshot, held: Snapshot? = nil,
                               observations: [(target: ProbeTarget, registers: Registers)]) -> ProbeComparison {
        ProbeComparison(findings: observations.map {
            finding(table: table, held: held ?? table, target: $0.target, observed: $0.registers)
        })
    }

    static func finding(table: Snapshot, held: Snapshot, target: ProbeTarget, observed: Registers) -> ProbeFinding {
        let (expected, rule) = KVMCPUIDLookup.expected(table, leaf: target.key.leaf, subleaf: target.key.subleaf)
        let heldExpected = KVMCPUIDLookup.expected(held, leaf: target.key.leaf, subleaf: target.key.subleaf).registers
        // Run-time fields belong to the entry that answered (the max basic leaf's, when redirected).
        let answeringKey: LeafKey
        switch rule {
        case let .tableEntry(key), let .maxBasicLeaf(key): answeringKey = LeafKey(key.leaf, target.key.subleaf)
        case let .topologyPassThrough(leaf): answeringKey = LeafKey(leaf, target.key.subleaf)
        case .zeros: answeringKey = target.key
        }
        var runTime: [RuntimeDifference] = []
        var changedByKVM: [RegisterDifference] = []
        var mismatches: [RegisterDifference] = []
        for register in Register.allCases where expected[register] != observed[register] {
            var unexplained = expected[register] ^ observed[register]
            for field in KVMRuntimeField.fields(for: answeringKey, register) where unexplained & field.mask != 0 {
                unexplained &= ~field.mask
                runTime.append(RuntimeDifference(field: field, expected: expected[register] & field.mask,
                                                 observed: observed[register] & field.mask))
            }
            // Bits where the guest agrees with what KVM said it holds.
            let announced = unexplained & ~(observed[register] ^ heldExpected[register])
            if announced != 0 {
                changedByKVM.append(RegisterDifference(register: register, expected: expected[register],
                                                       observed: observed[register], bits: announced))
            }
            if unexplained & ~announced != 0 {
                mismatches.append(RegisterDifference(register: register, expected: expected[register],
                                                     observed: observed[register], bits: unexplained & ~announced))
            }
        }
        var observedRule: KVMCPUIDLookup.Rule?
        if target.kind != .tableEntry {
            observedRule = matchingRule(table: table, target: target, observed: observed)
            if observedRule != nil && observedRule != rule {
                // A known out-of-range rule, just not upstream's: classified as this machine's behaviour.
                mismatches = []
                changedByKVM = []
                runTime = []
            }
        }
        return ProbeFinding(target: target, expected: expected, rule: rule, observed: observed,
                            runTime: runTime, changedByKVM: changedByKVM, mismatches: mismatches,
                            observedRule: observedRule)
    }

    /// Which out-of-range rule the observed answer agrees with, whatever the table's vendor.
    static func matchingRule(table: Snapshot, target: ProbeTarget, observed: Registers) -> KVMCPUIDLookup.Rule? {
        if observed.isZero { return .zeros }
        let leaf = target.key.leaf
        if (leaf == 0xB || leaf == 0x1F), let one = KVMCPUIDLookup.find(table, leaf, 1),
           observed == Registers(eax: 0, ebx: 0, ecx: target.key.subleaf & 0xff, edx: one.registers.edx) {
            return .topologyPassThrough(leaf: leaf)
        }
        let maxBasic = table.maxBasicLeaf
        // The redirected entry's run-time fields (the XSAVE size of leaf 0xD, say) follow the guest, not the table.
        if let entry = KVMCPUIDLookup.find(table, maxBasic, target.key.subleaf),
           Register.allCases.allSatisfy({ register in
               let runTime = KVMRuntimeField.fields(for: LeafKey(maxBasic, target.key.subleaf), register).reduce(0) { $0 | $1.mask }
               return (entry.registers[register] ^ observed[register]) & ~runTime == 0
           }) {
            return .maxBasicLeaf(entry.key)
        }
        return nil
    }
}
