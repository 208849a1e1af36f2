import CPUID

/// Features of kernels newer than the newest carried profile that the project cares about (the SGX
/// family), so that lookups and explanations can say where and when they arrive. One row per feature.
public struct LaterFeature: Hashable, Sendable {
    public var name: String
    public var number: FeatureNumber
    public var field: CPUIDField
    public var dependsOn: String
    public var addedIn: KernelVersion
    /// The quoted /proc name, nil when the header gives none (hidden from v6.11 on).
    public var procName: String?

    /// From the x86/sgx series merged for v6.19 (cpufeatures.h, scattered.c and cpuid-deps.c rows).
    public static let all: [LaterFeature] = [
        LaterFeature(name: "SGX_EUPDATESVN", number: FeatureNumber(word: 21, bit: 17),
                     field: CPUIDField(0x12, 0, .eax, bit: 10), dependsOn: "SGX1",
                     addedIn: KernelVersion(6, 19), procName: nil),
    ]
}
