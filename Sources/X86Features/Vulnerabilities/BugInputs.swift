import CPUID

/// What cpu_set_bug_bits() reads besides CPUID: IA32_ARCH_CAPABILITIES and the microcode revision, each
/// known (the MSR was sampled, faulted, or is not enumerated and reads 0) or unknown (not in the dump).
struct BugInputs: Sendable {
    enum Source: Sendable, Equatable {
        /// Read from the snapshot.
        case sampled
        /// The MSR read faulted; the kernel's RDMSR fixup gives 0.
        case faulted
        /// CPUID.(EAX=07H,ECX=0):EDX[29] = 0, so the kernel never reads the MSR and uses 0.
        case notEnumerated
        /// Not in the snapshot.
        case missing
    }

    var archCapabilities: UInt64
    var archCapabilitiesSource: Source
    /// The Intel revision (high dword of MSR 0x8B).
    var microcode: UInt32
    var microcodeSource: Source

    init(snapshot: Snapshot, enumeratesArchCapabilities: Bool) {
        if !enumeratesArchCapabilities {
            archCapabilities = 0
            archCapabilitiesSource = .notEnumerated
        } else {
            switch snapshot.msr(FeatureMSRBits.archCapabilities) {
            case let .value(bits)?: (archCapabilities, archCapabilitiesSource) = (bits, .sampled)
            case .faulted?: (archCapabilities, archCapabilitiesSource) = (0, .faulted)
            case nil: (archCapabilities, archCapabilitiesSource) = (0, .missing)
            }
        }
        switch snapshot.msr(FeatureMSRBits.microcodeRevision) {
        case let .value(bits)?: (microcode, microcodeSource) = (UInt32(truncatingIfNeeded: bits >> 32), .sampled)
        case .faulted?: (microcode, microcodeSource) = (0, .faulted)
        case nil: (microcode, microcodeSource) = (0, .missing)
        }
    }

    var knowsArchCapabilities: Bool { archCapabilitiesSource != .missing }
    var knowsMicrocode: Bool { microcodeSource != .missing }
}
