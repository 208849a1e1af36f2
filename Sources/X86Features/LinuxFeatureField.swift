import CPUID

/// The CPUID bit behind a Linux feature macro, read from the carried kernel tables, so that other tables
/// (guest rules, SGX, KVM rows) name a feature instead of restating its coordinates.
public enum LinuxFeatureField {
    /// The field of `macro` (without `X86_FEATURE_`) in the newest carried release that defines it: its
    /// CPUID-mirroring word and bit, or its scattered row. nil for a synthetic feature or an unknown name.
    public static func of(_ macro: String) -> CPUIDField? { index[macro] }

    /// The field of a macro a table of facts names; a missing name is a mistake in that table, stopped at once
    /// (the tests build every table).
    public static func field(_ macro: String) -> CPUIDField {
        guard let field = of(macro) else { preconditionFailure("no carried Linux release maps \(macro) to a CPUID bit") }
        return field
    }

    /// The bit of `macro` in its register.
    public static func bit(of macro: String) -> Int { field(macro).low }

    /// Built once from the span tables: later spans (newer releases) win.
    private static let index: [String: CPUIDField] = {
        var fields: [String: CPUIDField] = [:]
        for span in KernelTables.features {
            if let source = CapabilityWordSource.of(word: span.row.word), let field = source.field(bit: span.row.bit) {
                fields[span.row.name] = field
            }
        }
        for span in KernelTables.scattered { fields[span.row.name] = span.row.field }
        return fields
    }()
}
