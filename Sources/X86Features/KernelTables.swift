import CPUID

/// The kernel tables of every carried release, each row stored once with the releases that have it
/// (generated: KernelFeatureRows, KernelBugRows, KernelScatteredRows, KernelDependencyRows).
enum KernelTables {
    /// A row and the carried releases that have it: from `since` up to, not including, `until`.
    struct Span<Row: Sendable>: Sendable {
        var since: KernelVersion
        var until: KernelVersion?
        var row: Row

        init(_ since: KernelVersion, _ until: KernelVersion?, _ row: Row) {
            self.since = since
            self.until = until
            self.row = row
        }

        /// Whether the row is in this release's files.
        func holds(_ release: KernelVersion) -> Bool {
            since <= release && until.map { release < $0 } ?? true
        }
    }
}

extension KernelTables.Span where Row == KernelProfile.Row {
    static func row(_ since: KernelVersion, _ until: KernelVersion?, _ name: String, _ word: Int, _ bit: Int,
                    _ quotedName: String? = nil) -> Self {
        Self(since, until, KernelProfile.Row(name, word, bit, quotedName))
    }
}

extension KernelTables.Span where Row == KernelProfile.ScatteredRow {
    static func row(_ since: KernelVersion, _ until: KernelVersion?, _ name: String, _ register: Register, _ bit: Int,
                    _ leaf: UInt32, _ subleaf: UInt32) -> Self {
        Self(since, until, KernelProfile.ScatteredRow(name, register, bit, leaf, subleaf))
    }
}

extension KernelTables.Span where Row == KernelProfile.DependencyRow {
    static func row(_ since: KernelVersion, _ until: KernelVersion?, _ name: String, _ dependsOn: String) -> Self {
        Self(since, until, KernelProfile.DependencyRow(name, dependsOn))
    }
}
