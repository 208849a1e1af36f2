import CPUID
import FoundationEssentials

/// One host as the inventory holds it: its name and its current dump's facts.
public struct InventoryHost: Hashable, Sendable, Encodable {
    public var name: String
    public var kernel: String?
    public var vendor: String
    public var family: Int
    public var model: Int
    public var stepping: Int
    /// When the current dump was added (UTC).
    public var added: Date
    /// How many distinct dumps the host has had, the current one included.
    public var versions: Int
}

/// One dump in a host's history.
public struct InventoryVersion: Hashable, Sendable, Encodable {
    public var contentHash: String
    public var added: Date
    public var isCurrent: Bool
    public var kernel: String?
    public var source: String?
}

/// A host's current dump, decoded, for the commands that need the whole CPUID.
public struct InventorySnapshot: Sendable {
    public var name: String
    public var kernel: String?
    public var snapshot: Snapshot
}

/// What adding one dump did.
public enum ImportOutcome: String, Hashable, Sendable, Encodable {
    /// A new host.
    case added
    /// A known host with different CPUID: the new dump is current, the old one stays in its history.
    case updated
    /// The host's current dump already has this content.
    case unchanged
}

/// One dump to add.
public struct ImportItem: Sendable {
    public var host: String
    public var snapshot: Snapshot
    public var kernel: String?
    public var source: String?

    public init(host: String, snapshot: Snapshot, kernel: String?, source: String?) {
        self.host = host
        self.snapshot = snapshot
        self.kernel = kernel
        self.source = source
    }
}
