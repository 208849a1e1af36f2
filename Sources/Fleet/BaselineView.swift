import CPUID
import KVM
import X86Features

/// Which CPUID of each input a baseline intersects: the raw host CPUID, what a Linux kernel enables
/// of it, or what that kernel's KVM offers a guest on it (vcpuid's supported-CPUID model).
public enum BaselineView: String, Hashable, Sendable, CaseIterable {
    case raw
    case linux
    case kvm

    /// The input as this view sees it.
    public func apply(to snapshot: Snapshot, kernel: KernelProfile, bits: FeatureBits = .shared) -> Snapshot {
        switch self {
        case .raw:
            return snapshot
        case .linux:
            let view = LinuxDerivation.derive(snapshot, kernel: kernel)
            var result = snapshot
            for bit in bits.all where bit.isSet(in: snapshot) {
                guard let number = kernel.number(ofFeature: bit.macro), !view.capabilities.contains(number) else { continue }
                result.set(bit.field.leaf, bit.field.subleaf, bit.field.register,
                           to: result.value(bit.field.leaf, bit.field.subleaf, bit.field.register) & ~bit.field.mask)
            }
            return result
        case .kvm:
            let module = KVMModuleOptions(module: .default(for: snapshot.cpuVendor))
            var table = KVMSupportedModel.predict(host: snapshot, kernel: kernel, module: module).snapshot
            // KVM's table has no identity of its own beyond leaf 0; keep the host's signature and brand.
            for leaf: UInt32 in [0x1, 0x8000_0002, 0x8000_0003, 0x8000_0004] {
                guard let entry = snapshot.entry(leaf), table.entry(leaf) != nil else { continue }
                if leaf == 0x1 { table.set(1, 0, .eax, to: entry.registers.eax) } else { table.set(entry) }
            }
            return table
        }
    }
}
