import ArgumentParser
import X86Features

/// Turns `--clear a,b,c` (of `flags` and `explain`) into boot options: switches, clearcpuid= items, or macro names.
enum FeatureClearList {
    static func apply(_ list: String, to options: inout BootOptions) throws {
        let newest = KernelProfile.newest
        for item in list.split(separator: ",").map({ $0.trimmingSpaces() }) where !item.isEmpty {
            if let option = BootOptions.Switch(rawValue: item.lowercased()) {
                options.switches.append(option)
            } else if let number = Int(item) {
                let last = newest.capabilityWords * 32 - 1
                guard (0...last).contains(number) else {
                    throw ValidationError("--clear \(item): a feature number lies within 0...\(last) (word * 32 + bit)")
                }
                options.clearCPUID.append(item)
            } else if let feature = FeatureCatalogue.shared.lookup(item), feature.kind == .feature {
                options.clearFeatures.append(feature.name)
            } else if let feature = FeatureCatalogue.shared.lookup(item) {
                options.clearCPUID.append(feature.procName(in: newest) ?? item)
            } else {
                throw ValidationError("--clear: no feature, bug or boot switch named '\(item)'")
            }
        }
    }
}
