import CPUID
import X86Features

/// A feature the host CPU has that KVM does not offer a guest, and why.
public struct KVMUnofferedFeature: Hashable, Sendable, CustomStringConvertible {
    /// The feature's macro name, or `CPUID_7_0_EBX bit 14` when no table names the bit.
    public var name: String
    public var field: CPUIDField
    /// Why KVM leaves it out: the model's reason for the bit.
    public var reason: String

    public var description: String { "\(name) (\(field)): \(reason)" }
}

extension SupportedPrediction {
    /// Every bit of KVM's capability words that the host's raw CPUID sets and `offered` does not — by default
    /// the prediction itself; pass a live KVM_GET_SUPPORTED_CPUID table to explain what a real KVM leaves out.
    /// Reasons come from the model; where the model would offer the bit, the reason says so.
    public func unofferedHostFeatures(host: Snapshot, offered: Snapshot? = nil) -> [KVMUnofferedFeature] {
        let table = offered ?? snapshot
        let linux = KernelProfile.for(kernel.version)
        var result: [KVMUnofferedFeature] = []
        for word in kernel.words {
            guard word.leaf & 0xC000_0000 != 0x4000_0000 else { continue }
            let hostValue = host.value(word.leaf, word.subleaf, word.register)
            let offeredValue = table.value(word.leaf, word.subleaf, word.register)
            var missing = hostValue & ~offeredValue
            while missing != 0 {
                let bit = missing.trailingZeroBitCount
                missing &= missing - 1
                let trace = capabilities.trace(word, bit: bit)
                let name = trace?.macro
                    ?? word.kernelWord.flatMap { linux.featureRow(at: FeatureNumber(word: $0, bit: bit))?.name }
                    ?? "\(word.name) bit \(bit)"
                let field = word.field(bit: bit)
                let reason: String
                if snapshot.isSet(field) {
                    reason = "the model predicts Linux \(kernel.version) \(module.module.rawValue) would offer it; the live module does not"
                } else if let trace, trace.macro != nil || trace.adjustedBy != nil {
                    reason = Self.missingPart(trace, version: kernel.version)
                } else if let rule = rule(for: field), rule.kind != .capability {
                    reason = rule.summary
                } else {
                    reason = "KVM's \(word.name) mask lacks it"
                }
                result.append(KVMUnofferedFeature(name: name, field: field, reason: reason))
            }
        }
        return result
    }
}
