import X86Features

/// How one feature enters KVM's capability word, named after the kernel's macros in cpuid.c.
///
/// Kernels before 6.13 only had `F()` and `SF()` inside the masks and fixed the rest up afterwards with
/// `kvm_cpu_cap_set()`; those fix-ups are `KVMCapabilityAdjustment`s in the older profiles.
public enum KVMCapabilityKind: String, Hashable, Sendable, CaseIterable {
    /// `F(x)`: offered when the host kernel and the raw CPUID both have it.
    case plain = "F"
    /// `SF(x)` / `SCATTERED_F(x)`: in the mask only if the host kernel has the scattered feature.
    case scattered = "SCATTERED_F"
    /// `X86_64_F(x)`: like F on a 64-bit kernel (the only kind this model knows).
    case x86_64 = "X86_64_F"
    /// `EMULATED_F(x)`: offered whatever the host has, because KVM emulates it.
    case emulated = "EMULATED_F"
    /// `SYNTHESIZED_F(x)`: offered when the host kernel has it, even if raw CPUID lacks it.
    case synthesized = "SYNTHESIZED_F"
    /// `PASSTHROUGH_F(x)`: offered when raw CPUID has it, even if the host kernel does not use it.
    case passthrough = "PASSTHROUGH_F"
    /// `ALIASED_1_EDX_F(x)`: AMD's copy of a 1.EDX feature in 0x80000001.EDX.
    case aliased = "ALIASED_1_EDX_F"
    /// `VENDOR_F(x)`: known to KVM but left to the vendor module to set.
    case vendor = "VENDOR_F"
    /// `RUNTIME_F(x)`: changed at run time (e.g. with CR4), never advertised.
    case runtime = "RUNTIME_F"

    /// Whether the row puts the bit into the word's feature mask.
    public var entersMask: Bool {
        switch self {
        case .plain, .scattered, .x86_64, .emulated, .synthesized, .passthrough, .aliased: true
        case .vendor, .runtime: false
        }
    }
}

/// One row of a `kvm_cpu_cap_init` / `kvm_cpu_cap_mask` call: a feature macro, its bit in the word, and how it enters.
public struct KVMCapabilityRow: Hashable, Sendable, CustomStringConvertible {
    /// The feature's macro name without `X86_FEATURE_`, e.g. `SGX_EDECCSSA`.
    public var macro: String
    /// Its bit in the word's register (reverse_cpuid.h's translation for scattered features).
    public var bit: Int
    public var kind: KVMCapabilityKind

    public init(_ macro: String, _ bit: Int, _ kind: KVMCapabilityKind) {
        precondition((0..<32).contains(bit), "a capability bit lies within 0...31")
        self.macro = macro
        self.bit = bit
        self.kind = kind
    }

    public static func f(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .plain) }
    public static func scattered(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .scattered) }
    public static func x86_64(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .x86_64) }
    public static func emulated(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .emulated) }
    public static func synthesized(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .synthesized) }
    public static func passthrough(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .passthrough) }
    public static func aliased(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .aliased) }
    public static func vendor(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .vendor) }
    public static func runtime(_ macro: String, _ bit: Int) -> Self { Self(macro, bit, .runtime) }

    /// Rows of words that mirror a kernel capability word name the macro only: the bit is the one Linux's
    /// tables give it (KVM-only words keep their literal, reverse_cpuid.h's translated bit).
    public init(_ macro: String, _ kind: KVMCapabilityKind) { self.init(macro, LinuxFeatureField.bit(of: macro), kind) }

    public static func f(_ macro: String) -> Self { Self(macro, .plain) }
    public static func scattered(_ macro: String) -> Self { Self(macro, .scattered) }
    public static func x86_64(_ macro: String) -> Self { Self(macro, .x86_64) }
    public static func emulated(_ macro: String) -> Self { Self(macro, .emulated) }
    public static func synthesized(_ macro: String) -> Self { Self(macro, .synthesized) }
    public static func passthrough(_ macro: String) -> Self { Self(macro, .passthrough) }
    public static func aliased(_ macro: String) -> Self { Self(macro, .aliased) }
    public static func vendor(_ macro: String) -> Self { Self(macro, .vendor) }
    public static func runtime(_ macro: String) -> Self { Self(macro, .runtime) }

    /// The kernel's spelling, e.g. `SCATTERED_F(SGX_EDECCSSA)`.
    public var description: String { "\(kind.rawValue)(\(macro))" }
}

/// One call that initializes a capability word in `kvm_set_cpu_caps()`.
public struct KVMCapabilityInit: Hashable, Sendable {
    /// Which of the kernel's initializers the call is; they combine mask, kernel word and raw CPUID differently.
    public enum Style: String, Hashable, Sendable {
        /// `kvm_cpu_cap_mask(word, mask)` (before 6.13): caps = kernel word & mask & raw register.
        /// The raw register is read with CPUID even when the leaf is out of range.
        case mask = "kvm_cpu_cap_mask"
        /// `kvm_cpu_cap_init_scattered` / `kvm_cpu_cap_init_kvm_defined` (before 6.13, KVM-only words):
        /// caps = mask & raw register.
        case kvmDefined = "kvm_cpu_cap_init_kvm_defined"
        /// `kvm_cpu_cap_init(word, ...)` (6.13 on): caps = (mask & kernel word | passthrough)
        /// & (raw | synthesized) | emulated, and the raw register reads 0 past the host's max leaf.
        case initializer = "kvm_cpu_cap_init"
    }

    public var word: KVMCapabilityWord
    public var style: Style
    public var rows: [KVMCapabilityRow]

    public init(_ word: KVMCapabilityWord, _ style: Style, _ rows: [KVMCapabilityRow]) {
        self.word = word
        self.style = style
        self.rows = rows
    }

    /// The row for this bit, if the call names it.
    public func row(bit: Int) -> KVMCapabilityRow? { rows.first { $0.bit == bit } }

    /// The row for this macro, if the call names it.
    public func row(macro: String) -> KVMCapabilityRow? {
        let wanted = macro.uppercased()
        return rows.first { $0.macro == wanted }
    }
}
