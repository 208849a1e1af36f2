/// The release that introduced a macro, for macros the carried profiles cannot date by themselves
/// (present in 6.18 but not 6.2), and for the SGX family. Bugs are keyed `BUG_<name>`.
enum FeatureIntroductions {
    static let table: [String: KernelVersion] = [
        "SGX":                  KernelVersion(5, 11),
        "SGX_LC":               KernelVersion(5, 11),
        "SGX1":                 KernelVersion(5, 11),
        "SGX2":                 KernelVersion(5, 11),
        "SGX_EDECCSSA":         KernelVersion(6, 2),
        "SGX_EUPDATESVN":       KernelVersion(6, 19),
    ]
}
