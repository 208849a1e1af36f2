import X86Features

/// One difference between a kernel's KVM and the neighbouring modelled release, so that a profile is
/// written as the release it follows plus what changed (`v6_6 = v6_2.applying([...])`).
public enum KVMProfileChange: Sendable {
    /// The release the result models and where its tables were read.
    case release(KernelVersion, source: String)
    /// Rows joining a word's initializer (replacing rows with the same bit).
    case addRows(KVMCapabilityWord, [KVMCapabilityRow])
    /// Rows leaving a word's initializer, by macro.
    case removeRows(KVMCapabilityWord, [String])
    /// A word's initializer added after `after` (at the end when nil), or replaced where it exists.
    case setWord(KVMCapabilityInit, after: KVMCapabilityWord?)
    case removeWord(KVMCapabilityWord)
    /// Fix-ups of kvm_set_cpu_caps() appended, or removed by macro.
    case addAdjustments([KVMCapabilityAdjustment])
    case removeAdjustments([String])
    /// A vendor module's fix-ups appended, or removed by macro.
    case addVendorAdjustments(KVMModuleOptions.Module, [KVMCapabilityAdjustment])
    case removeVendorAdjustments(KVMModuleOptions.Module, [String])
    case maxBasicLeaf(UInt32)
    case maxExtendedLeaf(UInt32)
    case maxLeaf7Subleaf(UInt32)
    case sgxAttributeMask(UInt32)
    case indexedLeaves(Set<UInt32>)
    /// Changes to the leaf handling of the release it follows.
    case leaves(@Sendable (inout KVMLeafHandling) -> Void)
}

extension KVMKernelProfile {
    /// This profile with `changes` applied in order.
    public func applying(_ changes: [KVMProfileChange]) -> KVMKernelProfile {
        var profile = self
        for change in changes { profile.apply(change) }
        return profile
    }

    private mutating func apply(_ change: KVMProfileChange) {
        switch change {
        case let .release(version, source):
            self.version = version
            self.source = source
        case let .addRows(word, rows):
            guard let index = initializers.firstIndex(where: { $0.word == word }) else {
                preconditionFailure("\(word) has no initializer to add rows to")
            }
            let bits = Set(rows.map(\.bit))
            var merged = initializers[index].rows.filter { !bits.contains($0.bit) } + rows
            merged.sort { $0.bit < $1.bit }
            initializers[index].rows = merged
        case let .removeRows(word, macros):
            guard let index = initializers.firstIndex(where: { $0.word == word }) else {
                preconditionFailure("\(word) has no initializer to remove rows from")
            }
            initializers[index].rows.removeAll { macros.contains($0.macro) }
        case let .setWord(initializer, after):
            if let index = initializers.firstIndex(where: { $0.word == initializer.word }) {
                initializers[index] = initializer
            } else if let after, let index = initializers.firstIndex(where: { $0.word == after }) {
                initializers.insert(initializer, at: index + 1)
            } else {
                initializers.append(initializer)
            }
        case let .removeWord(word):
            initializers.removeAll { $0.word == word }
        case let .addAdjustments(rows):
            adjustments += rows
        case let .removeAdjustments(macros):
            adjustments.removeAll { macros.contains($0.macro) }
        case let .addVendorAdjustments(module, rows):
            vendorAdjustments[module, default: []] += rows
        case let .removeVendorAdjustments(module, macros):
            vendorAdjustments[module]?.removeAll { macros.contains($0.macro) }
        case let .maxBasicLeaf(value): maxBasicLeaf = value
        case let .maxExtendedLeaf(value): maxExtendedLeaf = value
        case let .maxLeaf7Subleaf(value): maxLeaf7Subleaf = value
        case let .sgxAttributeMask(value): sgxAttributeMask = value
        case let .indexedLeaves(value): indexedLeaves = value
        case let .leaves(change): change(&leaves)
        }
    }
}
