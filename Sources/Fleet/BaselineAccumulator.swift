import CPUID
import X86Features

/// Folds CPUID snapshots one at a time into the guest CPU all of them can run, holding only running
/// ANDs, minima and one representative snapshot, never the inputs themselves.
///
/// Rules (docs: README's Fleet section): feature registers are ANDed; maximum leaves (basic, extended,
/// leaf 7's subleaves) are the minimum; hypervisor leaves (0x40000000-0x4FFFFFFF) are dropped; every other
/// register — family/model/stepping, brand, caches, topology — comes from the representative: the input
/// with the lowest (family, model, stepping), the first of equals; IA32_ARCH_CAPABILITIES is ANDed when
/// every input sampled it, other MSRs are dropped.
public struct BaselineAccumulator: Sendable {
    /// How many names of lacking inputs each lost feature keeps.
    public static let examplesKept = 5
    public let bits: FeatureBits
    public private(set) var count = 0
    private var words = FeatureWords.allOnes
    private var union = FeatureWords(values: Array(repeating: 0, count: FeatureRegister.all.count))
    private var minBasic = UInt32.max
    private var minExtended = UInt32.max
    private var minLeaf7 = UInt32.max
    private var representative: (snapshot: Snapshot, name: String, signature: [UInt32])?
    private var vendors: [String: BaselineError.VendorGroup] = [:]
    private var vendorOrder: [String] = []
    private var archCapabilities: UInt64? = .max
    /// Per feature register, the named bits, and per bit the index into `bits.all`.
    private let namedMasks: [UInt32]
    private let bitIndex: [[Int32]]
    private var lackCounts: [Int]
    private var lackers: [[String]]

    public init(bits: FeatureBits = .shared) {
        self.bits = bits
        var masks = Array(repeating: UInt32(0), count: FeatureRegister.all.count)
        var index = Array(repeating: Array(repeating: Int32(-1), count: 32), count: FeatureRegister.all.count)
        for (i, bit) in bits.all.enumerated() {
            guard let r = FeatureRegister(bit.field.leaf, bit.field.subleaf, bit.field.register).index else { continue }
            masks[r] |= bit.field.mask
            index[r][bit.field.low] = Int32(i)
        }
        namedMasks = masks
        bitIndex = index
        lackCounts = Array(repeating: 0, count: bits.all.count)
        lackers = Array(repeating: [], count: bits.all.count)
    }

    /// Adds one input; `name` is what lost-feature explanations and vendor refusals call it.
    public mutating func add(_ snapshot: Snapshot, name: String) {
        count += 1
        let vendor = snapshot.vendor
        if vendors[vendor] == nil {
            vendors[vendor] = BaselineError.VendorGroup(vendor: vendor, count: 0, examples: [])
            vendorOrder.append(vendor)
        }
        vendors[vendor]!.count += 1
        if vendors[vendor]!.examples.count < 3 { vendors[vendor]!.examples.append(name) }

        let own = FeatureWords(snapshot)
        words.formIntersection(own)
        union.formUnion(own)
        for r in namedMasks.indices {
            var missing = ~own.values[r] & namedMasks[r]
            while missing != 0 {
                let bit = missing.trailingZeroBitCount
                missing &= missing - 1
                let i = Int(bitIndex[r][bit])
                lackCounts[i] += 1
                if lackers[i].count < Self.examplesKept { lackers[i].append(name) }
            }
        }
        minBasic = min(minBasic, snapshot.maxBasicLeaf)
        minExtended = min(minExtended, snapshot.maxExtendedLeaf)
        minLeaf7 = min(minLeaf7, snapshot.maxBasicLeaf >= 7 ? snapshot.value(7, 0, .eax) : 0)
        if let current = archCapabilities {
            archCapabilities = snapshot.msr(0x10A)?.bits.map { current & $0 }
        }
        let signature = snapshot.signature
        let key = [signature.family, signature.model, signature.stepping]
        if representative == nil || key.lexicographicallyPrecedes(representative!.signature) {
            representative = (snapshot, name, key)
        }
    }

    /// Folds in another accumulator's inputs as if they had been added after this one's: a baseline is an
    /// AND, so shards of the inputs can be folded apart (on other threads or machines) and merged in order.
    public mutating func merge(_ other: BaselineAccumulator) {
        guard other.count > 0 else { return }
        count += other.count
        words.formIntersection(other.words)
        union.formUnion(other.union)
        minBasic = min(minBasic, other.minBasic)
        minExtended = min(minExtended, other.minExtended)
        minLeaf7 = min(minLeaf7, other.minLeaf7)
        for vendor in other.vendorOrder {
            let group = other.vendors[vendor]!
            if var mine = vendors[vendor] {
                mine.count += group.count
                mine.examples = Array((mine.examples + group.examples).prefix(3))
                vendors[vendor] = mine
            } else {
                vendors[vendor] = group
                vendorOrder.append(vendor)
            }
        }
        if let current = archCapabilities { archCapabilities = other.archCapabilities.map { current & $0 } }
        for i in lackCounts.indices where other.lackCounts[i] > 0 {
            lackCounts[i] += other.lackCounts[i]
            if lackers[i].count < Self.examplesKept {
                lackers[i] = Array((lackers[i] + other.lackers[i]).prefix(Self.examplesKept))
            }
        }
        if let theirs = other.representative,
           representative == nil || theirs.signature.lexicographicallyPrecedes(representative!.signature) {
            representative = theirs
        }
    }

    /// The guest table every input can run. `kernel` supplies the dependency table; `migratable`
    /// also drops what libvirt marks not migratable.
    public func result(kernel: KernelProfile = KernelProfile.newest,
                       migratable: Bool = false) throws(BaselineError) -> Baseline {
        guard let representative, count > 0 else { throw BaselineError.noInputs }
        if vendorOrder.count > 1 { throw BaselineError.mixedVendors(vendorOrder.map { vendors[$0]! }) }

        var table = representative.snapshot
        table.removeMSRs()
        table.removeAll { entry in
            let leaf = entry.leaf
            if leaf < 0x4000_0000 { return leaf > minBasic || (leaf == 7 && entry.subleaf > minLeaf7) }
            if leaf < 0x8000_0000 { return true }
            if leaf < 0xC000_0000 { return minExtended == 0 || leaf > minExtended }
            return false
        }
        for (i, register) in FeatureRegister.all.enumerated() where table.registers(register.leaf, register.subleaf) != nil {
            table.set(register.leaf, register.subleaf, register.register, to: words.values[i])
        }
        if table.entry(0) != nil { table.set(0, 0, .eax, to: minBasic) }
        if minExtended != 0, table.entry(0x8000_0000) != nil { table.set(0x8000_0000, 0, .eax, to: minExtended) }
        if table.entry(7) != nil { table.set(7, 0, .eax, to: minLeaf7) }
        if let archCapabilities, archCapabilities != .max { table.setMSR(MSR(0x10A, .value(archCapabilities))) }

        var removed: [FeatureBit: (LostFeature.Reason, String?)] = [:]
        if migratable {
            for field in MigrationHazard.notMigratable where table.isSet(field) {
                clear(field, in: &table)
                if let bit = bits.bit(at: field) { removed[bit] = (.notMigratable, nil) }
            }
        }
        var xcr0 = XSaveLayout.xcr0(of: table)
        var xss = XSaveLayout.xss(of: table)
        // Features and the state components they need fall together, to a fixpoint.
        var changed = true
        while changed {
            changed = false
            for item in XSaveRequirement.table {
                guard let bit = bits.bit(named: item.macro) else { continue }
                let mask = item.components.reduce(UInt64(0)) { $0 | UInt64(1) << UInt64($1) }
                if bit.isSet(in: table), (xcr0 | xss) & mask != mask {
                    clear(bit.field, in: &table)
                    let missing = item.components.filter { (xcr0 | xss) & (UInt64(1) << UInt64($0)) == 0 }
                    removed[bit] = (.xsaveComponent, missing.map(String.init).joined(separator: ","))
                    changed = true
                }
                if !bit.isSet(in: table), (xcr0 | xss) & mask != 0 {
                    xcr0 &= ~mask
                    xss &= ~mask
                    changed = true
                }
            }
            let unset = bits.all.filter { !$0.isSet(in: table) && kernel.number(ofFeature: $0.macro) != nil }.map(\.macro)
            for (name, cause) in kernel.dependencyGraph.closure(clearing: unset) {
                guard let cause, let bit = bits.bit(named: name), bit.macro == name, bit.isSet(in: table) else { continue }
                clear(bit.field, in: &table)
                removed[bit] = (.dependency, cause)
                changed = true
            }
        }
        XSaveLayout.apply(xcr0: xcr0, xss: xss, to: &table)

        var lost: [LostFeature] = []
        for (i, bit) in bits.all.enumerated() where union.contains(bit.field) && !bit.isSet(in: table) {
            let reason: (LostFeature.Reason, String?) = lackCounts[i] > 0 ? (.lackedByInputs, nil) : removed[bit] ?? (.lackedByInputs, nil)
            lost.append(LostFeature(linux: bit.linuxName, qemu: bit.qemuName, macro: bit.macro, reason: reason.0,
                                    lackingCount: lackCounts[i], lacking: lackers[i], cause: reason.1))
        }
        return Baseline(table: table, inputCount: count, vendor: vendorOrder.first ?? "",
                        representative: representative.name, lost: lost, intersection: words, bits: bits)
    }

    private func clear(_ field: CPUIDField, in table: inout Snapshot) {
        table.set(field.leaf, field.subleaf, field.register, to: table.value(field.leaf, field.subleaf, field.register) & ~field.mask)
    }
}
