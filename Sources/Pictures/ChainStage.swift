import CPUID

/// A column of the chain matrix: one place along the way from the silicon to the guest.
public enum ChainStage: String, CaseIterable, Hashable, Sendable {
    case cpu
    case linux
    case kvmLive
    case kvmModel
    case guestTable
    case guestSeen
}

/// A column as drawn: its stage and its heading (which kernel, which module, which table).
public struct ChainColumn: Hashable, Sendable {
    public var stage: ChainStage
    public var title: String
    /// A line under the heading saying what the column was read from.
    public var detail: String

    public init(stage: ChainStage, title: String, detail: String) {
        self.stage = stage
        self.title = title
        self.detail = detail
    }
}

/// One cell: its state and, for anything but the plain cases, the rule's reason.
public struct ChainCell: Hashable, Sendable {
    public var state: CellState
    public var reason: String?

    public init(_ state: CellState, _ reason: String? = nil) {
        self.state = state
        self.reason = reason
    }
}

/// One feature along the chain, with the names people look it up by.
public struct ChainRow: Hashable, Sendable {
    public var field: CPUIDField
    /// The kernel macro without prefix, e.g. `SGX_EDECCSSA`.
    public var macro: String
    /// The /proc/cpuinfo name (the macro in lower case when /proc hides it).
    public var linuxName: String
    public var qemuName: String?
    /// One cell per column of the matrix, in column order.
    public var cells: [ChainCell]

    /// The SDM's notation of the bit, e.g. `CPUID.(EAX=07H,ECX=0):EBX[5]`.
    public var sdmName: String { field.description }

    /// Whether any stage clears, sets, changes or contradicts the bit.
    public var changes: Bool { cells.contains { $0.state.isChange } }
}

