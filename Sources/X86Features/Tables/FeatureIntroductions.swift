/// The release that introduced a macro where the carried profiles cannot date it by themselves.
/// `table` holds exact releases (the SGX family, from the SGX merge in v5.11 on); `dated` (generated,
/// FeatureIntroductions+Dated.swift) brackets every macro new between 6.2 and 6.18. Bugs are keyed `BUG_<name>`.
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
