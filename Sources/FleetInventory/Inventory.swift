import CPUID
import Fleet
import FoundationEssentials
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The inventory of hosts: one SQLite file (WAL, so readers never wait for a writer; a busy timeout, so two
/// importers take turns), migrated to the current schema when opened. Every write is one transaction:
/// an interrupted import keeps what was committed and never leaves a host half-written.
public struct Inventory: Sendable {
    public let path: String
    private let pool: DatabasePool

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    public init(path: String) throws(InventoryError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrate(pool)
            // Read first: only a catalogue that changed the word layout pays for a write transaction.
            let layout = try pool.read { try String.fetchOne($0, sql: "SELECT value FROM layout WHERE key = 'feature_registers'") }
            if layout != InventorySchema.wordLayout {
                try Self.immediateWrite(pool) { db in
                    let layout = try String.fetchOne(db, sql: "SELECT value FROM layout WHERE key = 'feature_registers'")
                    if layout != InventorySchema.wordLayout { try InventorySchema.recomputeWords(db) }
                }
            }
        } catch {
            throw Self.mapped(error, path: path)
        }
        self.pool = pool
    }

    /// Applies the pending migrations. Each runs in its own transaction, but two processes opening a new
    /// file at once may both start the same one: the loser's transaction rolls back, and trying again finds
    /// the winner's work done.
    private static func migrate(_ pool: DatabasePool) throws {
        // A migration check reads, then writes: when another process wrote in between, SQLite answers BUSY at
        // once rather than waiting (waiting could deadlock), so the retry is here, for up to about 8 s of turns.
        var attempt = 0
        while true {
            do {
                return try InventorySchema.migrator.migrate(pool)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 40 || attempt < 5 {
                attempt += 1
                usleep(UInt32(min(20_000 * attempt, 200_000)))
            }
        }
    }

    /// The schema versions applied, oldest first.
    public func schemaVersions() throws(InventoryError) -> [String] {
        try guarded { try pool.read { try InventorySchema.migrator.appliedMigrations($0) } }
    }

    /// Adds dumps in one transaction; the outcome of each, in order.
    public func add(_ items: [ImportItem], at date: Date = Date()) throws(InventoryError) -> [ImportOutcome] {
        try guarded {
            try immediateWrite { db in
                let seconds = Int64(date.timeIntervalSince1970)
                let findHost = try db.cachedStatement(sql: "SELECT id FROM host WHERE name = ?")
                let insertHost = try db.cachedStatement(sql: "INSERT INTO host (name, first_added) VALUES (?, ?)")
                let findDump = try db.cachedStatement(sql: "SELECT id, is_current FROM dump WHERE host_id = ? AND content_hash = ?")
                let retire = try db.cachedStatement(sql: "UPDATE dump SET is_current = 0 WHERE host_id = ? AND is_current")
                let reinstate = try db.cachedStatement(sql: "UPDATE dump SET is_current = 1 WHERE id = ?")
                let insertDump = try db.cachedStatement(sql: """
                    INSERT INTO dump (host_id, content_hash, added, is_current, kernel, vendor, family, model, stepping,
                                      source, snapshot)
                    VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertWords = try db.cachedStatement(sql: "INSERT INTO dump_word (dump_id, words) VALUES (?, ?)")
                var outcomes: [ImportOutcome] = []
                outcomes.reserveCapacity(items.count)
                for item in items {
                    let blob = SnapshotCoding.encode(item.snapshot)
                    let hash = ContentHash.of(blob, kernel: item.kernel)
                    var outcome = ImportOutcome.updated
                    let hostID: Int64
                    if let id = try Int64.fetchOne(findHost, arguments: [item.host]) {
                        hostID = id
                    } else {
                        try insertHost.execute(arguments: [item.host, seconds])
                        hostID = db.lastInsertedRowID
                        outcome = .added
                    }
                    if let existing = try Row.fetchOne(findDump, arguments: [hostID, hash]) {
                        if existing["is_current"] as Bool {
                            outcomes.append(.unchanged)
                            continue
                        }
                        try retire.execute(arguments: [hostID])
                        try reinstate.execute(arguments: [existing["id"] as Int64])
                        outcomes.append(.updated)
                        continue
                    }
                    try retire.execute(arguments: [hostID])
                    let signature = item.snapshot.signature
                    try insertDump.execute(arguments: [
                        hostID, hash, seconds, item.kernel, item.snapshot.vendor, Int(signature.family),
                        Int(signature.model), Int(signature.stepping), item.source, blob,
                    ])
                    try insertWords.execute(arguments: [db.lastInsertedRowID, Data(FeatureWords(item.snapshot).bytes)])
                    outcomes.append(outcome)
                }
                return outcomes
            }
        }
    }

    /// Every host with its current dump's facts, by name.
    public func hosts(filters: [InventoryFilter] = []) throws(InventoryError) -> [InventoryHost] {
        try guarded {
            try pool.read { db in
                let (condition, arguments) = Self.condition(filters)
                let rows = try Row.fetchAll(db, sql: """
                    SELECT host.name, dump.kernel, dump.vendor, dump.family, dump.model, dump.stepping, dump.added,
                           (SELECT COUNT(*) FROM dump AS d WHERE d.host_id = host.id) AS versions
                    FROM host JOIN dump ON dump.host_id = host.id AND dump.is_current
                    \(condition) ORDER BY host.name
                    """, arguments: arguments)
                return rows.map { row in
                    InventoryHost(name: row["name"], kernel: row["kernel"], vendor: row["vendor"], family: row["family"],
                                  model: row["model"], stepping: row["stepping"],
                                  added: Date(timeIntervalSince1970: TimeInterval(row["added"] as Int64)),
                                  versions: row["versions"])
                }
            }
        }
    }

    /// A host's dumps, oldest first.
    public func history(of host: String) throws(InventoryError) -> [InventoryVersion] {
        let versions = try guarded {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT dump.content_hash, dump.added, dump.is_current, dump.kernel, dump.source
                    FROM dump JOIN host ON dump.host_id = host.id WHERE host.name = ? ORDER BY dump.added, dump.id
                    """, arguments: [host]).map { row in
                    InventoryVersion(contentHash: row["content_hash"],
                                     added: Date(timeIntervalSince1970: TimeInterval(row["added"] as Int64)),
                                     isCurrent: row["is_current"], kernel: row["kernel"], source: row["source"])
                }
            }
        }
        if versions.isEmpty { throw InventoryError.unknownHost(host) }
        return versions
    }

    /// A host's current dump.
    public func current(_ host: String) throws(InventoryError) -> InventorySnapshot {
        let row = try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT host.name, dump.kernel, dump.snapshot FROM host
                    JOIN dump ON dump.host_id = host.id AND dump.is_current WHERE host.name = ?
                    """, arguments: [host])
            }
        }
        guard let row else { throw InventoryError.unknownHost(host) }
        return InventorySnapshot(name: row["name"], kernel: row["kernel"], snapshot: try SnapshotCoding.decode(row["snapshot"]))
    }

    /// Calls `body` with each matching host's current dump, one at a time, in name order.
    public func forEachCurrent(filters: [InventoryFilter] = [],
                               _ body: (InventorySnapshot) throws -> Void) throws(InventoryError) {
        try guarded {
            try pool.read { db in
                let (condition, arguments) = Self.condition(filters)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT host.name, dump.kernel, dump.snapshot FROM host
                    JOIN dump ON dump.host_id = host.id AND dump.is_current \(condition) ORDER BY host.name
                    """, arguments: arguments)
                while let row = try rows.next() {
                    try body(InventorySnapshot(name: row["name"], kernel: row["kernel"],
                                               snapshot: try SnapshotCoding.decode(row["snapshot"])))
                }
            }
        }
    }

    /// The matching hosts whose current dump lacks `field` (read from the stored feature words without
    /// copying them), by name.
    public func hosts(lacking field: CPUIDField, filters: [InventoryFilter] = []) throws(InventoryError) -> [String] {
        guard let index = FeatureRegister(field.leaf, field.subleaf, field.register).index else { return [] }
        return try guarded {
            try pool.read { db in
                let (condition, arguments) = Self.condition(filters)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT host.name, dump_word.words FROM host
                    JOIN dump ON dump.host_id = host.id AND dump.is_current
                    JOIN dump_word ON dump_word.dump_id = dump.id \(condition) ORDER BY host.name
                    """, arguments: arguments)
                var result: [String] = []
                let offset = index * 4
                while let row = try rows.next() {
                    let value = try row.withUnsafeData(atIndex: 1) { data -> UInt32 in
                        guard let data, data.count >= offset + 4 else { return 0 }
                        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> UInt32 in
                            var word: UInt32 = 0
                            for k in 0..<4 { word |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
                            return word
                        }
                    }
                    if value & field.mask == 0 { result.append(row[0] as String) }
                }
                return result
            }
        }
    }

    /// How many hosts match.
    public func count(filters: [InventoryFilter] = []) throws(InventoryError) -> Int {
        try guarded {
            try pool.read { db in
                let (condition, arguments) = Self.condition(filters)
                return try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM host JOIN dump ON dump.host_id = host.id AND dump.is_current \(condition)
                    """, arguments: arguments) ?? 0
            }
        }
    }

    static func condition(_ filters: [InventoryFilter]) -> (String, StatementArguments) {
        guard !filters.isEmpty else { return ("", StatementArguments()) }
        let sql = "WHERE " + filters.map(\.sql).joined(separator: " AND ")
        var arguments = StatementArguments()
        for filter in filters {
            if ["family", "model", "stepping"].contains(filter.key), let number = filter.number {
                arguments += [number]
            } else {
                arguments += [filter.value]
            }
        }
        return (sql, arguments)
    }

    /// A write transaction that takes SQLite's write lock at BEGIN: a deferred one that reads first and
    /// then writes fails at once (SQLITE_BUSY, no busy wait) when another process wrote in between.
    private func immediateWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.immediateWrite(pool, body)
    }

    private static func immediateWrite<T>(_ pool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    private func guarded<T>(_ body: () throws -> T) throws(InventoryError) -> T {
        do {
            return try body()
        } catch {
            throw Self.mapped(error, path: path)
        }
    }

    static func mapped(_ error: any Error, path: String) -> InventoryError {
        if let error = error as? InventoryError { return error }
        if let error = error as? DatabaseError { return .database(path: path, message: error.message ?? "\(error)") }
        return .database(path: path, message: "\(error)")
    }
}
