import FleetInventory
import Foundation
import XCTest

/// `vcpuid fleet ...` as users run it: imports (interrupted and concurrent), queries, and the export read by
/// real engines.
final class FleetInventoryCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fleet")
    static let repository = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var directory: URL!
    var db: String { directory.appendingPathComponent("fleet.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-fleet-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    /// `count` distinct dumps (the haswell fixture with a different brand string each), in a folder.
    func manyDumps(_ count: Int, in name: String) throws -> URL {
        let folder = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: fixture("haswell-i7-4770.cpuid"), encoding: .utf8)
        for i in 0..<count {
            let changed = text.replacingOccurrences(of: "0x80000004 0x00: eax=", with: "0x80000004 0x00: eax=0x\(String(format: "%08x", i)) ebx=")
                .replacingOccurrences(of: #"(0x80000004 0x00: eax=0x[0-9a-f]{8}) ebx=0x[0-9a-f]{8}"#, with: "$1", options: .regularExpression)
            try changed.write(to: folder.appendingPathComponent(String(format: "host-%05d.cpuid", i)), atomically: false, encoding: .utf8)
        }
        return folder
    }

    func testAddListLacksDiffAndExitStatuses() throws {
        let names = ["skylake-x-i9-10980xe.cpuid", "haswell-i7-4770.cpuid", "ice-lake-i7-1065g7.cpuid"]
        let added = try CLI.run(["fleet", "add", "--db", db, "--kernel", "6.1"] + names.map(fixture))
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.contains("3 added"))
        let again = try CLI.run(["fleet", "add", "--db", db, "--kernel", "6.1", fixture(names[1])])
        XCTAssertTrue(again.stdout.contains("1 unchanged"), again.stdout)
        let list = try CLI.run(["fleet", "list", "--db", db])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("haswell-i7-4770"))
        let lacks = try CLI.run(["fleet", "lacks", "--db", db, "avx512f"])
        XCTAssertEqual(lacks.status, 0)
        XCTAssertEqual(lacks.stdout, "haswell-i7-4770\n")
        let none = try CLI.run(["fleet", "lacks", "--db", db, "sse2"])
        XCTAssertEqual(none.status, 1)
        let unknown = try CLI.run(["fleet", "lacks", "--db", db, "avx9000"])
        XCTAssertEqual(unknown.status, 2)
        let diff = try CLI.run(["fleet", "diff", "--db", db, "haswell-i7-4770", "ice-lake-i7-1065g7"])
        XCTAssertEqual(diff.status, 1)
        XCTAssertTrue(diff.stdout.contains("features only in B"))
        let baseline = try CLI.run(["fleet", "baseline", "--db", db, "--where", "kernel=6.1"])
        XCTAssertEqual(baseline.status, 0, baseline.stderr)
        XCTAssertTrue(baseline.stdout.contains("level: x86-64-v3"))
        let kvm = try CLI.run(["fleet", "baseline", "--db", db, "--view", "kvm", "--format", "raw"])
        XCTAssertEqual(kvm.status, 0, kvm.stderr)
        let usage = try CLI.run(["fleet", "lacks"])
        XCTAssertEqual(usage.status, 64)
    }

    func testCanRun() throws {
        _ = try CLI.run(["fleet", "add", "--db", db, fixture("skylake-x-i9-10980xe.cpuid"), fixture("haswell-i7-4770.cpuid")])
        let guest = directory.appendingPathComponent("guest.json").path
        _ = try CLI.run(["baseline", fixture("skylake-x-i9-10980xe.cpuid"), fixture("ice-lake-i7-1065g7.cpuid"),
                         "--migratable", "--format", "json", "--output", guest])
        let result = try CLI.run(["fleet", "can-run", "--db", db, guest, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let verdicts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(verdicts.first { $0["host"] as? String == "skylake-x-i9-10980xe" }?["canMigrate"] as? Bool, true)
        XCTAssertEqual(verdicts.first { $0["host"] as? String == "haswell-i7-4770" }?["canStart"] as? Bool, false)
    }

    /// ^C in the middle of an import: what was committed stays, every host present is whole, and the
    /// database passes SQLite's integrity check.
    func testInterruptedImportLeavesAConsistentDatabase() throws {
        let folder = try manyDumps(3000, in: "many")
        let process = Process()
        process.executableURL = CLI.executable.deletingLastPathComponent().appendingPathComponent("vcpuid-fleet")
        process.arguments = ["add", "--db", db, "--batch", "100", folder.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until some batches are committed, then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            if let count = try? Inventory(path: db).count(), count >= 200 { break }
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let inventory = try Inventory(path: db)
        let hosts = try inventory.hosts()
        if process.terminationStatus == 0 {
            XCTAssertEqual(hosts.count, 3000, "finished before the interrupt")
        } else {
            XCTAssertEqual(process.terminationStatus, 2, stderr)
            XCTAssertTrue(stderr.contains("interrupted"), stderr)
            XCTAssertGreaterThanOrEqual(hosts.count, 200)
            XCTAssertTrue(stderr.contains("interrupted: \(hosts.count) of 3000 dumps committed"), stderr)
        }
        var decoded = 0
        try inventory.forEachCurrent { host in
            XCTAssertEqual(host.snapshot.signature.model, 0x3c)
            decoded += 1
        }
        XCTAssertEqual(decoded, hosts.count)
        let check = try CLI.run(["fleet", "list", "--db", db, "--json"])
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    /// Two processes importing into one database at once both succeed (WAL and the busy timeout).
    func testConcurrentImportsBothSucceed() throws {
        let a = try manyDumps(400, in: "a")
        let b = directory.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: b, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: a.path) {
            try FileManager.default.copyItem(at: a.appendingPathComponent(name), to: b.appendingPathComponent("b-" + name))
        }
        let executable = CLI.executable.deletingLastPathComponent().appendingPathComponent("vcpuid-fleet")
        let processes = [a, b].map { folder -> Process in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["add", "--db", db, "--batch", "20", folder.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        XCTAssertEqual(processes.map(\.terminationStatus), [0, 0])
        XCTAssertEqual(try Inventory(path: db).count(), 800)
    }

    /// DuckDB reads the NDJSON export, and its bit_and over the feature registers is the intersection
    /// `fleet baseline --json` reports.
    func testDuckDBBitAndOverTheExportEqualsFleetBaseline() throws {
        guard python(["-c", "import duckdb"]).status == 0 else {
            throw XCTSkip("the duckdb Python package is not installed (.ci/run installs it with pip)")
        }
        let names = ["skylake-x-i9-10980xe.cpuid", "haswell-i7-4770.cpuid", "ice-lake-i7-1065g7.cpuid",
                     "comet-lake-i7-10700k.cpuid", "zen4-ryzen-7-7700x.cpuid"]
        _ = try CLI.run(["fleet", "add", "--db", db] + names.map(fixture))
        let export = directory.appendingPathComponent("fleet.ndjson")
        let exported = try CLI.run(["fleet", "export", "--db", db])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        try exported.stdout.write(to: export, atomically: true, encoding: .utf8)
        let baseline = try CLI.run(["fleet", "baseline", "--db", db, "--where", "vendor=GenuineIntel", "--json"])
        XCTAssertEqual(baseline.status, 0, baseline.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(baseline.stdout.utf8)) as? [String: Any])
        let expected = try XCTUnwrap(document["intersection"] as? [String: Int])
        let sql = """
            import duckdb, json, sys
            rows = duckdb.sql("SELECT register, bit_and(value) FROM read_json_auto('\(export.path)') "
                              "WHERE kind = 'register' AND feature_register AND vendor = 'GenuineIntel' GROUP BY register").fetchall()
            print(json.dumps({r: int(v) for r, v in rows}))
            """
        let result = python(["-c", sql])
        XCTAssertEqual(result.status, 0, result.stderr)
        let actual = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Int])
        XCTAssertEqual(actual, expected)
    }

    /// Examples/spark computes baseline and lacks from the export in Spark's local mode; it must agree
    /// with vcpuid.
    func testSparkExampleAgreesWithVcpuid() throws {
        guard python(["-c", "import pyspark"]).status == 0 else {
            throw XCTSkip("pyspark is not installed (a ~300 MB download; .ci/run installs it when pip can fetch it in time)")
        }
        let names = ["skylake-x-i9-10980xe.cpuid", "haswell-i7-4770.cpuid", "ice-lake-i7-1065g7.cpuid"]
        _ = try CLI.run(["fleet", "add", "--db", db] + names.map(fixture))
        let export = directory.appendingPathComponent("fleet.ndjson")
        try (try CLI.run(["fleet", "export", "--db", db])).stdout.write(to: export, atomically: true, encoding: .utf8)
        let job = Self.repository.appendingPathComponent("Examples/spark/fleet_job.py").path
        let result = python([job, export.path, "avx512f"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let baseline = try CLI.run(["fleet", "baseline", "--db", db, "--json"])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(baseline.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(output["intersection"] as? [String: Int], document["intersection"] as? [String: Int])
        let lacks = try CLI.run(["fleet", "lacks", "--db", db, "avx512f"])
        XCTAssertEqual(output["lacks"] as? [String], lacks.stdout.split(separator: "\n").map(String.init))
    }

    func python(_ arguments: [String]) -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return CLIResult(status: 127, stdout: "", stderr: "\(error)") }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
