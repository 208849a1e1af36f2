import CPUID
import Fleet
@testable import FleetInventory
import Foundation
import GRDB
import XCTest

final class InventoryTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    var databasePath: String { directory.appendingPathComponent("fleet.sqlite").path }

    func item(_ name: String, host: String? = nil, kernel: String? = "6.1") throws -> ImportItem {
        ImportItem(host: host ?? name, snapshot: try FleetFixtures.snapshot(name), kernel: kernel, source: name)
    }

    func testSnapshotsRoundTripWithMSRs() throws {
        var snapshot = try FleetFixtures.snapshot(FleetFixtures.iceLake)
        snapshot.setMSR(MSR(0x10A, .value(0x0c0a_0ceb)))
        snapshot.setMSR(MSR(0x49, .faulted))
        XCTAssertEqual(try SnapshotCoding.decode(SnapshotCoding.encode(snapshot)), snapshot)
        XCTAssertThrowsError(try SnapshotCoding.decode(Data([1, 5, 0])))
    }

    func testReAddingIsANoOpAndAChangeKeepsHistory() throws {
        let inventory = try Inventory(path: databasePath)
        XCTAssertEqual(try inventory.schemaVersions(), ["v1", "v2", "v3"])
        XCTAssertEqual(try inventory.add([try item(FleetFixtures.haswell, host: "web-1")]), [.added])
        XCTAssertEqual(try inventory.add([try item(FleetFixtures.haswell, host: "web-1")]), [.unchanged])
        XCTAssertEqual(try inventory.add([try item(FleetFixtures.coffeeLake, host: "web-1")], at: Date(timeIntervalSince1970: 2_000_000_000)), [.updated])
        let history = try inventory.history(of: "web-1")
        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(history.map(\.isCurrent), [false, true])
        XCTAssertEqual(try inventory.current("web-1").snapshot.signature.model, 0x9e)
        // Going back to the first dump makes it current again rather than a duplicate.
        XCTAssertEqual(try inventory.add([try item(FleetFixtures.haswell, host: "web-1")]), [.updated])
        XCTAssertEqual(try inventory.history(of: "web-1").count, 2)
        XCTAssertEqual(try inventory.current("web-1").snapshot.signature.model, 0x3c)
        XCTAssertThrowsError(try inventory.current("nobody")) { XCTAssertEqual($0 as? InventoryError, .unknownHost("nobody")) }
    }

    func testFiltersLacksAndStreamingBaseline() throws {
        let inventory = try Inventory(path: databasePath)
        _ = try inventory.add([try item(FleetFixtures.skylakeX), try item(FleetFixtures.iceLake, kernel: "6.18"),
                               try item(FleetFixtures.haswell), try item(FleetFixtures.zen4)])
        XCTAssertEqual(try inventory.hosts().count, 4)
        XCTAssertEqual(try inventory.hosts(filters: [InventoryFilter(parsing: "kernel=6.18")]).map(\.name), [FleetFixtures.iceLake])
        XCTAssertEqual(try inventory.hosts(filters: [InventoryFilter(parsing: "model=0x3c")]).map(\.name), [FleetFixtures.haswell])
        XCTAssertThrowsError(try InventoryFilter(parsing: "colour=blue"))

        let avx512f = try XCTUnwrap(FeatureBits.shared.bit(named: "avx512f"))
        XCTAssertEqual(try inventory.hosts(lacking: avx512f.field), [FleetFixtures.haswell])

        var accumulator = BaselineAccumulator()
        try inventory.forEachCurrent(filters: [InventoryFilter(parsing: "vendor=GenuineIntel")]) { host in
            accumulator.add(host.snapshot, name: host.name)
        }
        let fromDatabase = try accumulator.result()
        var direct = BaselineAccumulator()
        for name in [FleetFixtures.haswell, FleetFixtures.iceLake, FleetFixtures.skylakeX] {
            direct.add(try FleetFixtures.snapshot(name), name: name)
        }
        XCTAssertEqual(fromDatabase.table, try direct.result().table)
    }

    func testAnOlderSchemaIsMigratedAndItsWordsComputed() throws {
        let pool = try DatabasePool(path: databasePath)
        try InventorySchema.migrator.migrate(pool, upTo: "v1")
        let snapshot = try FleetFixtures.snapshot(FleetFixtures.skylakeX)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO host (id, name, first_added) VALUES (1, 'old', 0)")
            try db.execute(sql: """
                INSERT INTO dump (host_id, content_hash, added, is_current, kernel, vendor, family, model, stepping, source, snapshot)
                VALUES (1, 'x', 0, 1, NULL, 'GenuineIntel', 6, 85, 7, NULL, ?)
                """, arguments: [SnapshotCoding.encode(snapshot)])
        }
        let inventory = try Inventory(path: databasePath)
        XCTAssertEqual(try inventory.schemaVersions(), ["v1", "v2", "v3"])
        let avx512f = try XCTUnwrap(FeatureBits.shared.bit(named: "avx512f"))
        XCTAssertEqual(try inventory.hosts(lacking: avx512f.field), [])
        let sse3 = try XCTUnwrap(FeatureBits.shared.bit(named: "sse4a"))
        XCTAssertEqual(try inventory.hosts(lacking: sse3.field), ["old"])
    }

    func testWritesAreTransactions() throws {
        let inventory = try Inventory(path: databasePath)
        // A batch that fails part-way (a trigger refuses its second dump) leaves nothing behind.
        let pool = try DatabasePool(path: databasePath)
        try pool.write { db in try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON dump WHEN NEW.source = 'refuse' BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        var bad = try item(FleetFixtures.iceLake)
        bad.source = "refuse"
        XCTAssertThrowsError(try inventory.add([try item(FleetFixtures.haswell), bad]))
        XCTAssertEqual(try inventory.hosts().count, 0)
    }

    func testContentHashIgnoresWhereTheDumpCameFrom() throws {
        let raw = try FleetFixtures.snapshot(FleetFixtures.haswell)
        let json = try DumpReader.parse(try DumpWriter.render(Dump(snapshot: raw, origin: .instruction), as: .json), name: "x").first
        XCTAssertEqual(ContentHash.of(SnapshotCoding.encode(raw), kernel: "6.1"), ContentHash.of(SnapshotCoding.encode(json), kernel: "6.1"))
        XCTAssertNotEqual(ContentHash.of(SnapshotCoding.encode(raw), kernel: "6.1"), ContentHash.of(SnapshotCoding.encode(raw), kernel: "6.18"))
    }
}
