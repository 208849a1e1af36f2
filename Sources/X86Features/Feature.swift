import CPUID

/// A Linux x86 feature or bug flag as the catalogue knows it across the carried kernels: its macro,
/// where it lives per kernel, its /proc/cpuinfo name per kernel, its QEMU name and when it appeared.
public struct Feature: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case feature
        case bug
    }

    public var kind: Kind
    /// Macro name without its prefix, e.g. `SGX_EDECCSSA`.
    public var name: String
    /// QEMU's `-cpu` property name, when QEMU names the bit this feature is read from.
    public var qemuName: String?
    /// The kernel release that introduced the macro.
    public var addedIn: FeatureIntroduction
    /// The release that dropped the macro (bracketed when releases between are not carried); nil while the
    /// newest carried release still has it.
    public var removedIn: FeatureIntroduction?

    public init(kind: Kind, name: String, qemuName: String?, addedIn: FeatureIntroduction,
                removedIn: FeatureIntroduction? = nil) {
        self.kind = kind
        self.name = name
        self.qemuName = qemuName
        self.addedIn = addedIn
        self.removedIn = removedIn
    }

    /// The full macro, e.g. `X86_FEATURE_SGX_EDECCSSA` or `X86_BUG_SRSO`.
    public var macro: String { (kind == .feature ? "X86_FEATURE_" : "X86_BUG_") + name }

    public var description: String { macro }

    /// The header row in this kernel, nil when the kernel does not define the macro.
    public func row(in kernel: KernelProfile) -> KernelProfile.Row? {
        kind == .feature ? kernel.featureRow(named: name) : kernel.bugRow(named: name)
    }

    public func exists(in kernel: KernelProfile) -> Bool { row(in: kernel) != nil }

    /// Position in the capability array (bugs count from NCAPINTS*32).
    public func number(in kernel: KernelProfile) -> FeatureNumber? {
        kind == .feature ? kernel.number(ofFeature: name) : kernel.number(ofBug: name)
    }

    /// The kernel's own spelling of the number: `11*32+18`, or `X86_BUG(1*32+0)` for bugs.
    public func kernelSpelling(in kernel: KernelProfile) -> String? {
        guard let row = row(in: kernel) else { return nil }
        return kind == .feature ? "\(row.word)*32+\(row.bit)" : "X86_BUG(\(row.word)*32+\(row.bit))"
    }

    /// The /proc/cpuinfo name in this kernel, nil when hidden or absent.
    public func procName(in kernel: KernelProfile) -> String? { row(in: kernel).flatMap { kernel.procName(of: $0) } }

    /// Where the bit comes from in this kernel; nil when the kernel does not define it.
    public func origin(in kernel: KernelProfile) -> FeatureOrigin? {
        guard let row = row(in: kernel) else { return nil }
        return Self.origin(kind: kind, row: row, scattered: kernel.scattered.filter { $0.name == name }.map(\.field),
                           kernel: kernel.version)
    }

    /// The origin of a header row given the scattered fields that name it.
    static func origin(kind: Kind, row: KernelProfile.Row, scattered: [CPUIDField], kernel: KernelVersion? = nil) -> FeatureOrigin {
        if kind == .bug {
            return .bug(SyntheticReason(.model, "set by the kernel's vulnerability tables (vendor, family, model, "
                + "stepping) and IA32_ARCH_CAPABILITIES/microcode state (common.c cpu_set_bug_bits)"))
        }
        if !scattered.isEmpty { return .scattered(scattered) }
        if let source = CapabilityWordSource.of(word: row.word), let field = source.field(bit: row.bit) {
            return .cpuid(field)
        }
        if var reason = SyntheticFeatureReasons.table[row.name] {
            // The rules that derive a feature are the one home of its conditions.
            if reason.detail.isEmpty {
                let inKernel = SyntheticRules.conditions(setting: row.name, in: kernel)
                reason.detail = (inKernel.isEmpty ? SyntheticRules.conditions(setting: row.name, in: nil) : inKernel).joined(separator: "; ")
            }
            return .synthetic(reason)
        }
        return .synthetic(SyntheticReason(.runtime, "set by kernel code at run time"))
    }

    /// Extra ways the kernel sets or clears a bit beyond its origin (e.g. AMD forcing ARAT).
    public var kernelOverride: SyntheticReason? { SyntheticFeatureReasons.alsoForced[name] }
}

/// When a macro first appeared in the kernel.
public enum FeatureIntroduction: Hashable, Sendable, CustomStringConvertible {
    /// In this release exactly.
    case release(KernelVersion)
    /// Already present in the oldest carried profile (5.10: the macro is that old or older).
    case atOrBefore(KernelVersion)
    /// Absent from the first carried release, present in the next carried one; the releases between are
    /// not carried, so the exact one is not known.
    case between(after: KernelVersion, through: KernelVersion)

    public var description: String {
        switch self {
        case let .release(version): "v\(version)"
        case let .atOrBefore(version): "v\(version) or earlier"
        case let .between(after, through): "after v\(after), by v\(through)"
        }
    }
}
