/// What one cell of a picture says, drawn as a colour and a symbol, so that the colour is never the only
/// cue (colour-blind readers, black-and-white print).
public enum CellState: String, CaseIterable, Hashable, Sendable {
    /// The bit is set here.
    case present
    /// The bit is clear here, as it was one stage before.
    case absent
    /// A rule cleared a bit the stage before had.
    case cleared
    /// A stage set a bit the stage before lacked (KVM emulates it, the guest policy enabled it).
    case changed
    /// Two sources that should agree do not (the guest saw something else than its table).
    case mismatch
    /// The stage could not be looked at (a dump has no guest to run).
    case notRun

    /// The symbol drawn in the cell.
    public var symbol: String {
        switch self {
        case .present: "✓"
        case .absent: "✗"
        case .cleared: "⊘"
        case .changed: "~"
        case .mismatch: "!"
        case .notRun: "–"
        }
    }

    /// The legend's words.
    public var label: String {
        switch self {
        case .present: "present"
        case .absent: "absent"
        case .cleared: "cleared by a rule"
        case .changed: "set or changed along the way"
        case .mismatch: "mismatch"
        case .notRun: "not run"
        }
    }

    /// The CSS class, one letter to keep large tables small.
    public var cssClass: String {
        switch self {
        case .present: "p"
        case .absent: "a"
        case .cleared: "c"
        case .changed: "g"
        case .mismatch: "m"
        case .notRun: "n"
        }
    }

    /// A state that says something changed, for "only rows that change along the chain".
    public var isChange: Bool { self == .cleared || self == .changed || self == .mismatch }
}
