import CPUID
@testable import Fleet
import X86Features
import XCTest

final class GuestCompatibilityTests: XCTestCase {
    func testAGuestRunsOnItsOwnHost() throws {
        let host = try FleetFixtures.snapshot(FleetFixtures.haswell)
        let verdict = GuestCompatibility(guest: host, host: host, kernel: nil)
        XCTAssertTrue(verdict.canStart)
    }

    func testMissingFeaturesCarryTheirReasons() throws {
        var accumulator = BaselineAccumulator()
        accumulator.add(try FleetFixtures.snapshot(FleetFixtures.skylakeX), name: "a")
        accumulator.add(try FleetFixtures.snapshot(FleetFixtures.iceLake), name: "b")
        let guest = try accumulator.result(migratable: true).table
        let host = try FleetFixtures.snapshot(FleetFixtures.haswell)
        let verdict = GuestCompatibility(guest: guest, host: host, kernel: nil)
        XCTAssertFalse(verdict.canStart)
        XCTAssertEqual(verdict.missing.first { $0.macro == "AVX512F" }?.reason, .hostLacks)
        // AVX512VL needs AVX512F, which is missing too.
        XCTAssertEqual(verdict.missing.first { $0.macro == "AVX512VL" }?.reason, .dependency)

        let kvm = GuestCompatibility(guest: guest, host: try FleetFixtures.snapshot(FleetFixtures.skylakeX),
                                     kernel: KernelProfile.for(KernelVersion(6, 1)))
        let notOffered = kvm.missing.filter { $0.reason == .kvmDoesNotOffer }
        XCTAssertFalse(notOffered.isEmpty)
        XCTAssertTrue(notOffered.allSatisfy { $0.detail != nil })
    }

    func testNonMigratableBitsBlockMigrationOnly() throws {
        let host = try FleetFixtures.snapshot(FleetFixtures.skylakeX)
        var guest = host
        guest.set(0x8000_0007, 0, .edx, to: guest.value(0x8000_0007, 0, .edx) | 1 << 8)
        var richHost = host
        richHost.set(0x8000_0007, 0, .edx, to: richHost.value(0x8000_0007, 0, .edx) | 1 << 8)
        let verdict = GuestCompatibility(guest: guest, host: richHost, kernel: nil)
        XCTAssertTrue(verdict.canStart)
        XCTAssertFalse(verdict.canMigrate)
        XCTAssertTrue(verdict.migrationBlockers.contains { $0.contains("invariant TSC") })
    }

    func testALargerXSAVEAreaBlocksMigration() throws {
        let amx = try FleetFixtures.snapshot(FleetFixtures.amx)
        let host = try FleetFixtures.snapshot(FleetFixtures.skylakeX)
        let verdict = GuestCompatibility(guest: amx, host: host, kernel: nil)
        XCTAssertTrue(verdict.missing.contains { $0.macro == "AMX_TILE" })
        XCTAssertTrue(verdict.migrationBlockers.contains { $0.contains("XSAVE area") })
    }
}

final class QEMUCPULineTests: XCTestCase {
    func testHostWithEditsByQEMUName() throws {
        let host = try FleetFixtures.snapshot(FleetFixtures.haswell)
        let line = try QEMUCPULine(parsing: "-cpu host,+avx512f,-avx2,migratable=on,hle=off")
        XCTAssertEqual(line.model, "host")
        let table = try line.table(offered: host)
        XCTAssertTrue(table.isSet(CPUIDField(0x7, 0, .ebx, bit: 16)))
        XCTAssertFalse(table.isSet(CPUIDField(0x7, 0, .ebx, bit: 5)))
        let verdict = GuestCompatibility(guest: table, host: host, kernel: nil)
        XCTAssertEqual(verdict.missing.map(\.macro), ["AVX512F"])
    }

    func testNamedModelsAndUnknownFeaturesAreRefused() throws {
        XCTAssertThrowsError(try QEMUCPULine(parsing: "Skylake-Server,+avx512f")) {
            XCTAssertEqual($0 as? QEMUCPULine.ParseError, .namedModel("Skylake-Server"))
        }
        let line = try QEMUCPULine(parsing: "host,+avx9000")
        XCTAssertThrowsError(try line.table(offered: Snapshot()))
        XCTAssertTrue(QEMUCPULine.looksLikeCPUArgument("-cpu Skylake-Server"))
        XCTAssertTrue(QEMUCPULine.looksLikeCPUArgument("host,-hle\n"))
        XCTAssertFalse(QEMUCPULine.looksLikeCPUArgument("missing.cpuid"))
    }
}
