import CPUID

/// Features that need XSAVE state components enabled in XCR0 (user) or IA32_XSS (supervisor): a baseline
/// without a component common to all hosts cannot offer the feature, and without the feature it drops
/// the component, so that leaf 0xD's sizes describe only what the guest can use.
public enum XSaveRequirement {
    public static let table: [(macro: String, components: [Int])] = [
        ("AVX", [2]),
        ("MPX", [3, 4]),
        ("AVX512F", [5, 6, 7]),
        ("PKU", [9]),
        ("AMX_TILE", [17, 18]),
    ]
}
