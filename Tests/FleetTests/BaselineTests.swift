import CPUID
@testable import Fleet
import X86Features
import XCTest

final class BaselineTests: XCTestCase {
    func baseline(_ names: [String], view: BaselineView = .raw, kernel: KernelProfile = KernelProfile.all.last!,
                  migratable: Bool = false) throws -> Baseline {
        var accumulator = BaselineAccumulator()
        for name in names {
            accumulator.add(view.apply(to: try FleetFixtures.snapshot(name), kernel: kernel), name: name)
        }
        return try accumulator.result(kernel: kernel, migratable: migratable)
    }

    func testIntersectionOfMixedGenerationsWithWhoLacksWhat() throws {
        let result = try baseline([FleetFixtures.skylakeX, FleetFixtures.cometLake, FleetFixtures.haswell])
        let names = Set(result.features.map(\.linuxName))
        XCTAssertTrue(names.isSuperset(of: ["avx2", "fma", "bmi2", "movbe"]))
        XCTAssertFalse(names.contains("avx512f"))
        let avx512f = try XCTUnwrap(result.lost.first { $0.macro == "AVX512F" })
        XCTAssertEqual(avx512f.reason, .lackedByInputs)
        XCTAssertEqual(avx512f.lackingCount, 2)
        XCTAssertEqual(Set(avx512f.lacking), [FleetFixtures.cometLake, FleetFixtures.haswell])
        XCTAssertEqual(result.level?.number, 3)
        // Identity from the oldest (lowest family/model/stepping) input: Haswell, model 0x3c.
        XCTAssertEqual(result.representative, FleetFixtures.haswell)
        XCTAssertEqual(result.table.signature.model, 0x3c)
        XCTAssertEqual(result.table.maxBasicLeaf, 0xd)
    }

    func testTSXDisabledHostDropsHLEAndRTM() throws {
        let result = try baseline([FleetFixtures.coffeeLake, FleetFixtures.cometLake])
        let lost = Set(result.lost.map(\.macro))
        XCTAssertTrue(lost.isSuperset(of: ["HLE", "RTM"]))
        XCTAssertEqual(result.lost.first { $0.macro == "RTM" }?.lacking, [FleetFixtures.cometLake])
    }

    func testDependencyClosureClearsWhatDependsOnALostFeature() throws {
        // A host whose AVX is gone (as with clearcpuid) but whose AVX2 bit is still set.
        var host = try FleetFixtures.snapshot(FleetFixtures.cometLake)
        host.set(1, 0, .ecx, to: host.value(1, 0, .ecx) & ~(UInt32(1) << 28))
        var accumulator = BaselineAccumulator()
        accumulator.add(host, name: "no-avx")
        accumulator.add(try FleetFixtures.snapshot(FleetFixtures.coffeeLake), name: "coffee")
        let result = try accumulator.result()
        let avx2 = try XCTUnwrap(result.lost.first { $0.macro == "AVX2" })
        XCTAssertEqual(avx2.reason, .dependency)
        XCTAssertEqual(avx2.cause, "AVX")
        XCTAssertEqual(result.level?.number, 2)
        // No AVX: the YMM state component leaves XCR0 and the sizes shrink to legacy + header + what is left.
        XCTAssertEqual(XSaveLayout.xcr0(of: result.table) & 0x4, 0)
    }

    func testAMXHostAndNonAMXHostRecomputeLeafD() throws {
        let result = try baseline([FleetFixtures.amx, FleetFixtures.skylakeX])
        XCTAssertTrue(result.lost.isEmpty || !result.lost.contains { $0.macro == "AVX512F" })
        XCTAssertTrue(result.lost.contains { $0.macro == "AMX_TILE" })
        XCTAssertEqual(XSaveLayout.xcr0(of: result.table), 0xff)
        XCTAssertEqual(result.table.value(0xD, 0, .ecx), 0xa80)
        XCTAssertNil(result.table.entry(0xD, 17))
        XCTAssertNil(result.table.entry(0xD, 18))
        let alone = try baseline([FleetFixtures.amx])
        XCTAssertEqual(alone.table.value(0xD, 0, .ecx), 0x2b00)
    }

    func testMixedVendorsAreRefusedNamingTheHosts() throws {
        XCTAssertThrowsError(try baseline([FleetFixtures.skylakeX, FleetFixtures.zen4, FleetFixtures.haswell])) { error in
            guard case let BaselineError.mixedVendors(groups) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(groups.map(\.vendor), ["GenuineIntel", "AuthenticAMD"])
            XCTAssertEqual(groups[0].examples, [FleetFixtures.skylakeX, FleetFixtures.haswell])
            XCTAssertTrue("\(error)".contains(FleetFixtures.zen4))
        }
    }

    func testMigratableDropsInvariantTSCAndXSAVES() throws {
        let plain = try baseline([FleetFixtures.skylakeX, FleetFixtures.iceLake])
        XCTAssertTrue(plain.table.isSet(CPUIDField(0xD, 1, .eax, bit: 3)))
        let migratable = try baseline([FleetFixtures.skylakeX, FleetFixtures.iceLake], migratable: true)
        XCTAssertFalse(migratable.table.isSet(CPUIDField(0xD, 1, .eax, bit: 3)))
        XCTAssertFalse(migratable.table.isSet(CPUIDField(0x8000_0007, 0, .edx, bit: 8)))
        XCTAssertEqual(migratable.lost.first { $0.macro == "XSAVES" }?.reason, .notMigratable)
    }

    /// libvirt's baseline (virCPUx86Baseline) is the AND of the inputs' feature bits; in QEMU names the
    /// result must be exactly the features every input has, less what Linux's dependency table clears.
    func testQEMUFeatureSetIsTheIntersectionAsLibvirtDefinesIt() throws {
        let pairs = [(FleetFixtures.skylakeX, FleetFixtures.iceLake), (FleetFixtures.coffeeLake, FleetFixtures.haswell),
                     (FleetFixtures.skylakeX, FleetFixtures.cometLake)]
        for (a, b) in pairs {
            let result = try baseline([a, b])
            func qemu(_ snapshot: Snapshot) -> Set<String> { Set(FeatureBits.shared.present(in: snapshot).compactMap(\.qemuName)) }
            let expected = qemu(try FleetFixtures.snapshot(a)).intersection(qemu(try FleetFixtures.snapshot(b)))
            let dropped = Set(result.lost.filter { $0.reason != .lackedByInputs }.compactMap(\.qemu))
            XCTAssertEqual(qemu(result.table), expected.subtracting(dropped), "\(a) + \(b)")
        }
    }

    func testKVMViewDiffersBetweenKernels() throws {
        let hosts = [FleetFixtures.iceLake, FleetFixtures.skylakeX]
        let old = try baseline(hosts, view: .kvm, kernel: KernelProfile.for(KernelVersion(6, 1)))
        let new = try baseline(hosts, view: .kvm, kernel: KernelProfile.for(KernelVersion(6, 18)))
        let raw = try baseline(hosts)
        // KVM never offers the thermal and power leaf's features that raw CPUID has.
        XCTAssertTrue(raw.table.isSet(CPUIDField(0x6, 0, .eax, bit: 7)))
        XCTAssertFalse(old.table.isSet(CPUIDField(0x6, 0, .eax, bit: 7)))
        XCTAssertFalse(new.table.isSet(CPUIDField(0x6, 0, .eax, bit: 7)))
        XCTAssertEqual(old.level?.number, 4)
        XCTAssertNotEqual(FeatureWords(old.table), FeatureWords(new.table))
    }

    func testNoInputsIsAnError() {
        XCTAssertThrowsError(try BaselineAccumulator().result()) { XCTAssertEqual($0 as? BaselineError, .noInputs) }
    }

    func testLevels() throws {
        XCTAssertEqual(MicroarchitectureLevel.highest(in: try FleetFixtures.snapshot(FleetFixtures.haswell))?.number, 3)
        XCTAssertEqual(MicroarchitectureLevel.highest(in: try FleetFixtures.snapshot(FleetFixtures.skylakeX))?.number, 4)
        XCTAssertEqual(MicroarchitectureLevel.highest(in: try FleetFixtures.snapshot(FleetFixtures.zen4))?.number, 4)
    }
}

final class BaselineMergeTests: XCTestCase {
    /// Folding shards apart and merging them in order gives what one sequential fold gives.
    func testMergedShardsEqualOneFold() throws {
        let names = [FleetFixtures.skylakeX, FleetFixtures.cometLake, FleetFixtures.haswell, FleetFixtures.iceLake,
                     FleetFixtures.coffeeLake, FleetFixtures.amx]
        var sequential = BaselineAccumulator()
        for name in names { sequential.add(try FleetFixtures.snapshot(name), name: name) }
        var merged = BaselineAccumulator()
        for shard in [names[0..<2], names[2..<3], names[3..<6]] {
            var accumulator = BaselineAccumulator()
            for name in shard { accumulator.add(try FleetFixtures.snapshot(name), name: name) }
            merged.merge(accumulator)
        }
        let a = try sequential.result()
        let b = try merged.result()
        XCTAssertEqual(a.table, b.table)
        XCTAssertEqual(a.lost, b.lost)
        XCTAssertEqual(a.representative, b.representative)
        XCTAssertEqual(b.inputCount, names.count)
    }
}
