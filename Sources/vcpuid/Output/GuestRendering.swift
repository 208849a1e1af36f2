import ArgumentParser
import CPUID
import KVM

/// Text and JSON forms of a guest composition, shared by `guest show`, `verify` and `export`.
enum GuestRendering {
    /// What each edit did, one line per change under the edit.
    static func steps(_ composition: GuestComposition) -> String {
        var rows: [[String]] = []
        for step in composition.steps {
            for (i, change) in step.changes.enumerated() {
                rows.append([i == 0 ? step.edit : "", change])
            }
        }
        return rows.isEmpty ? "  (no edits: the base as is)" : alignedColumns(rows).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    /// Warnings and advisories, each on its own line.
    static func notes(_ composition: GuestComposition) -> [String] {
        composition.base.notes.map { "note: \($0)" } + composition.warnings.map { "warning: \($0)" }
            + composition.advisories.map { "note: \($0)" }
    }

    /// The table with a `*` after each register that differs from the base, and `+` for entries the base lacks.
    static func table(_ composition: GuestComposition) -> String {
        var rows: [[String]] = [["", "leaf.subleaf", "eax", "ebx", "ecx", "edx", "index"]]
        for entry in composition.table.entries {
            let baseEntry = composition.base.snapshot.entry(entry.leaf, entry.subleaf)
            var row = [baseEntry == nil ? "+" : (baseEntry?.registers == entry.registers ? "" : "*"), entry.key.description]
            for register in Register.allCases {
                let changed = baseEntry.map { $0.registers[register] != entry.registers[register] } ?? false
                row.append(Hex.word(entry.registers[register]) + (changed ? "*" : ""))
            }
            row.append(entry.significantIndex ? "significant" : "")
            rows.append(row)
        }
        var text = alignedColumns(rows)
        let removed = composition.removedKeys
        if !removed.isEmpty { text += "\nremoved from the base: " + removed.map(\.description).joined(separator: ", ") }
        return text
    }

    // MARK: JSON

    struct EntryJSON: Encodable {
        var leaf: String
        var subleaf: String
        var eax: String
        var ebx: String
        var ecx: String
        var edx: String
        var significantIndex: Bool
        var changed: Bool

        init(_ entry: CPUIDEntry, changed: Bool) {
            leaf = Hex.word(entry.leaf)
            subleaf = Hex.byte(entry.subleaf)
            eax = Hex.word(entry.registers.eax)
            ebx = Hex.word(entry.registers.ebx)
            ecx = Hex.word(entry.registers.ecx)
            edx = Hex.word(entry.registers.edx)
            significantIndex = entry.significantIndex
            self.changed = changed
        }
    }

    struct StepJSON: Encodable {
        var edit: String
        var changes: [String]
    }

    struct AdvisoryJSON: Encodable {
        var rule: String
        var detail: String
    }

    struct CompositionJSON: Encodable {
        var base: String
        var baseKind: String
        var steps: [StepJSON]
        var warnings: [String]
        var advisories: [AdvisoryJSON]
        var enabled: [String]
        var entries: [EntryJSON]
        var removed: [String]

        init(_ composition: GuestComposition) {
            base = composition.base.name
            baseKind = composition.base.kind.rawValue
            steps = composition.steps.map { StepJSON(edit: $0.edit, changes: $0.changes) }
            warnings = composition.warnings
            advisories = composition.advisories.map { AdvisoryJSON(rule: $0.rule.name, detail: $0.detail) }
            enabled = composition.enabledFeatures.map(\.macro)
            entries = composition.table.entries.map { entry in
                EntryJSON(entry, changed: composition.base.snapshot.entry(entry.leaf, entry.subleaf)?.registers != entry.registers)
            }
            removed = composition.removedKeys.map(\.description)
        }
    }

    /// A refused policy as JSON: every problem, one string each.
    struct RefusalJSON: Encodable {
        var refused = true
        var problems: [String]
    }

    /// Composes; with `json`, a refusal is printed as JSON on standard output and the command exits with
    /// `ExitStatus.failure`, as a refusal printed as text does.
    static func compose(_ policy: GuestPolicyOptions, json: Bool, qemuNames: Bool = false) throws -> (GuestComposition, GuestFeatureTable) {
        do {
            return try policy.compose(qemuNames: qemuNames)
        } catch let error as GuestPolicyError where json {
            print(try prettyJSON(RefusalJSON(problems: error.problems.map(\.description))))
            throw ExitCode(ExitStatus.failure)
        }
    }
}
