/// One change a stable point release made to its line's feature tables after x.y.0, read from the stable tree.
public struct StableBackport: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case feature, bug, scattered, dependency, words
    }

    public enum Change: String, Hashable, Sendable {
        case added, removed, changed
    }

    /// The first point release read that has the change (it may have arrived in one not read).
    public var by: KernelVersion
    public var kind: Kind
    public var change: Change
    /// The macro (without prefix), `FEATURE -> DEPENDENCY`, or `NCAPINTS`/`NBUGINTS`.
    public var name: String
    /// Its number and quoted name, leaf and bit, dependency, or word count in that point release.
    public var value: String

}

/// The recorded stable changes per longterm line (generated: Tables/StableBackportRows.swift). The x.y profile
/// does not apply them; output names them for a host running a point release.
public enum StableBackports {
    /// The changes of this version's line up to its point release.
    public static func known(for version: KernelVersion) -> [StableBackport] {
        table.filter { $0.by.release == version.release && $0.by <= version }
    }

    /// "features added: A, B; bugs added: C; NCAPINTS 22", in the order the changes came.
    public static func grouped(_ changes: [StableBackport]) -> String {
        var groups: [(title: String, names: [String])] = []
        for change in changes {
            let title = change.kind == .words ? change.name : "\(change.kind.rawValue) rows \(change.change.rawValue)"
            let name = change.kind == .words ? change.value : change.name
            if let i = groups.firstIndex(where: { $0.title == title }) {
                if !groups[i].names.contains(name) { groups[i].names.append(name) }
            } else {
                groups.append((title, [name]))
            }
        }
        return groups.map { $0.title + ($0.title.hasSuffix("INTS") ? " " : ": ") + $0.names.joined(separator: ", ") }
            .joined(separator: "; ")
    }

    /// The newest point release read for this line, nil when none was.
    public static func newestRead(for version: KernelVersion) -> KernelVersion? { readThrough[version.release] }
}

extension StableBackport {
    static func row(_ by: String, _ kind: Kind, _ change: Change, _ name: String, _ value: String) -> Self {
        guard let version = KernelVersion(by) else { preconditionFailure("bad point release \(by)") }
        return StableBackport(by: version, kind: kind, change: change, name: name, value: value)
    }
}
