import Fleet
import FoundationEssentials
import GRDB

/// The inventory's schema, one migration per version, applied in order when a database is opened.
///
/// v1: `host` (one row per host name) and `dump` (every distinct dump a host ever had, with the date it was
/// added; `is_current` marks the one in force; `(host_id, content_hash)` is unique, which makes re-adding a
/// dump a no-op). v2: `dump.words`, the feature registers in `FeatureRegister.all` order, so that `lacks`
/// reads 4 bytes per register instead of decoding snapshots, and `layout`, which records that order so that
/// a newer catalogue recomputes the words. v3: the words move to their own narrow table `dump_word`: a scan
/// of them no longer pages through the snapshots stored beside them (`lacks` over 100,000 hosts).
enum InventorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE host (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    first_added INTEGER NOT NULL
                );
                CREATE TABLE dump (
                    id INTEGER PRIMARY KEY,
                    host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                    content_hash TEXT NOT NULL,
                    added INTEGER NOT NULL,
                    is_current INTEGER NOT NULL,
                    kernel TEXT,
                    vendor TEXT NOT NULL,
                    family INTEGER NOT NULL,
                    model INTEGER NOT NULL,
                    stepping INTEGER NOT NULL,
                    source TEXT,
                    snapshot BLOB NOT NULL,
                    UNIQUE (host_id, content_hash)
                );
                CREATE UNIQUE INDEX dump_one_current ON dump(host_id) WHERE is_current;
                CREATE INDEX dump_current ON dump(is_current, vendor, kernel);
                """)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE dump ADD COLUMN words BLOB;
                CREATE TABLE layout (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE dump_word (
                    dump_id INTEGER PRIMARY KEY REFERENCES dump(id) ON DELETE CASCADE,
                    words BLOB NOT NULL
                );
                ALTER TABLE dump DROP COLUMN words;
                """)
            try recomputeWords(db)
        }
        return migrator
    }

    /// The feature-register order the stored words follow.
    static var wordLayout: String { FeatureRegister.all.map(\.description).joined(separator: ",") }

    /// Recomputes every dump's words from its snapshot and records the layout they follow.
    static func recomputeWords(_ db: Database) throws {
        let update = try db.cachedStatement(sql: "INSERT OR REPLACE INTO dump_word (dump_id, words) VALUES (?, ?)")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, snapshot FROM dump")
        var pending: [(Int64, Data)] = []
        while let row = try rows.next() {
            let snapshot = try SnapshotCoding.decode(row["snapshot"])
            pending.append((row["id"], Data(FeatureWords(snapshot).bytes)))
        }
        for (id, words) in pending { try update.execute(arguments: [id, words]) }
        try db.execute(sql: "INSERT OR REPLACE INTO layout (key, value) VALUES ('feature_registers', ?)", arguments: [wordLayout])
    }
}
