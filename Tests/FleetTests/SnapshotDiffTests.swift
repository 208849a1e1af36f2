import CPUID
@testable import Fleet
import XCTest

final class SnapshotDiffTests: XCTestCase {
    func testADumpEqualsItself() throws {
        let a = try FleetFixtures.snapshot(FleetFixtures.skylakeX)
        let diff = SnapshotDiff(a, a)
        XCTAssertTrue(diff.isEqual)
        XCTAssertTrue(diff.hazards.isEmpty)
    }

    func testFeaturesBothWaysWithLinuxAndQEMUNames() throws {
        let a = try FleetFixtures.snapshot(FleetFixtures.skylakeX)
        let b = try FleetFixtures.snapshot(FleetFixtures.cometLake)
        let diff = SnapshotDiff(a, b)
        XCTAssertFalse(diff.isEqual)
        let onlyA = Set(diff.onlyInFirst.map(\.linux))
        XCTAssertTrue(onlyA.isSuperset(of: ["avx512f", "avx512vl", "hle", "rtm"]))
        XCTAssertEqual(diff.onlyInFirst.first { $0.linux == "avx512_vnni" }?.qemu, "avx512vnni")
        XCTAssertTrue(diff.onlyInSecond.contains { $0.linux == "sgx" })
        // The logical CPU's APIC ID is not a difference between hosts.
        XCTAssertFalse(diff.registers.contains { $0.leaf == "0x0000000b" && $0.register == "EDX" })
    }

    func testHazardsNameTSXXSaveAndSignature() throws {
        let a = try FleetFixtures.snapshot(FleetFixtures.skylakeX)
        let b = try FleetFixtures.snapshot(FleetFixtures.cometLake)
        let names = Set(SnapshotDiff(a, b).hazards.map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["TSX HLE", "TSX RTM", "XSAVE area size", "family/model/stepping"]))
        let amx = try FleetFixtures.snapshot(FleetFixtures.amx)
        let amxNames = Set(SnapshotDiff(amx, a).hazards.map(\.name))
        XCTAssertTrue(amxNames.contains("AMX tiles"))
        XCTAssertTrue(amxNames.contains("XSAVE area size"))
    }

    func testMSRDifferences() throws {
        var a = try FleetFixtures.snapshot(FleetFixtures.haswell)
        var b = a
        a.setMSR(MSR(0x10A, .value(0x0c0a_0ceb)))
        b.setMSR(MSR(0x10A, .value(0x0c0a_0c6b)))
        let diff = SnapshotDiff(a, b)
        XCTAssertEqual(diff.msrs.map(\.index), ["0x0000010a"])
        XCTAssertFalse(diff.isEqual)
    }
}
