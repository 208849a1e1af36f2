import CPUID
import X86Features
import XCTest

final class FeatureCatalogueTests: XCTestCase {
    let catalogue = FeatureCatalogue.shared

    func testLookupByMacroProcAndQEMUNamesInAnyCase() throws {
        for name in ["SGX_EDECCSSA", "X86_FEATURE_SGX_EDECCSSA", "sgx_edeccssa", "sgx-edeccssa", "Sgx-EdecCSSA"] {
            XCTAssertEqual(catalogue.lookup(name)?.name, "SGX_EDECCSSA", name)
        }
        XCTAssertEqual(catalogue.lookup("pni")?.name, "XMM3")
        XCTAssertEqual(catalogue.lookup("sse4.1")?.name, "XMM4_1")
        XCTAssertEqual(catalogue.lookup("tsc-deadline")?.name, "TSC_DEADLINE_TIMER")
        XCTAssertEqual(catalogue.lookup("X86_BUG_SRSO")?.kind, .bug)
        XCTAssertEqual(catalogue.lookup("SRSO")?.kind, .feature, "the feature macro wins over the bug's /proc name")
        XCTAssertEqual(catalogue.lookup("spectre_v2")?.kind, .bug)
        XCTAssertNil(catalogue.lookup("no_such_feature"))
    }

    func testFeatureFacts() throws {
        let edeccssa = try XCTUnwrap(catalogue.lookup("SGX_EDECCSSA"))
        XCTAssertEqual(edeccssa.qemuName, "sgx-edeccssa")
        XCTAssertEqual(edeccssa.addedIn, .release(KernelVersion(6, 2)))
        XCTAssertEqual(edeccssa.origin(in: .v6_18), .scattered([CPUIDField(0x12, 0, .eax, bit: 11)]))
        XCTAssertNil(edeccssa.origin(in: .v6_1))
        XCTAssertEqual(edeccssa.kernelSpelling(in: .v6_2), "11*32+18")

        let sgx = try XCTUnwrap(catalogue.lookup("sgx"))
        XCTAssertEqual(sgx.origin(in: .v6_1), .cpuid(CPUIDField(7, 0, .ebx, bit: 2)))
        XCTAssertEqual(sgx.addedIn, .release(KernelVersion(5, 11)))

        let amxFP16 = try XCTUnwrap(catalogue.lookup("AMX_FP16"))
        XCTAssertEqual(amxFP16.addedIn, .release(KernelVersion(6, 2)))

        let constantTSC = try XCTUnwrap(catalogue.lookup("constant_tsc"))
        guard case let .synthetic(reason)? = constantTSC.origin(in: .v6_18) else {
            return XCTFail("CONSTANT_TSC is synthesized")
        }
        XCTAssertEqual(reason.category, .cpuid)

        let tscKnownFreq = try XCTUnwrap(catalogue.lookup("tsc_known_freq"))
        guard case let .synthetic(outside)? = tscKnownFreq.origin(in: .v6_18) else {
            return XCTFail("TSC_KNOWN_FREQ is synthesized")
        }
        XCTAssertEqual(outside.category, .hypervisor)
    }

    func testEveryLinuxDefinedFeatureHasAWrittenReason() {
        // Rows in Linux-defined words that are neither scattered nor listed would get a generic reason.
        for profile in KernelProfile.all {
            for row in profile.features {
                guard case .linuxDefined? = CapabilityWordSource.of(word: row.word)?.kind,
                      !profile.scattered.contains(where: { $0.name == row.name }) else { continue }
                let feature = FeatureCatalogue.shared.feature(named: row.name)
                guard case let .synthetic(reason)? = feature?.origin(in: profile) else {
                    XCTFail("\(profile) \(row.name) has no origin")
                    continue
                }
                XCTAssertNotEqual(reason.detail, "set by kernel code at run time", "\(profile) \(row.name) needs a row")
            }
        }
    }

    func testCatalogueHoldsEveryMacroOfEveryProfile() {
        for profile in KernelProfile.all {
            for row in profile.features { XCTAssertNotNil(catalogue.feature(named: row.name), row.name) }
            for row in profile.bugs { XCTAssertNotNil(catalogue.feature(named: row.name, kind: .bug), row.name) }
        }
        let names = catalogue.features.map { "\($0.kind):\($0.name)" }
        XCTAssertEqual(names.count, Set(names).count, "each macro once")
    }
}

final class SGXEUPDATESVNTests: XCTestCase {
    /// Known only as a "later feature" before 6.19 was carried; now a row of the 6.19 and 7.0 profiles.
    func testSGXEUPDATESVNArrivesIn619() throws {
        let feature = try XCTUnwrap(FeatureCatalogue.shared.lookup("sgx_eupdatesvn"))
        XCTAssertEqual(feature.addedIn, .release(KernelVersion(6, 19)))
        let v6_19 = try XCTUnwrap(KernelProfile.release(KernelVersion(6, 19)))
        XCTAssertEqual(feature.number(in: v6_19), FeatureNumber(word: 21, bit: 17))
        XCTAssertEqual(feature.origin(in: v6_19)?.fields, [CPUIDField(0x12, 0, .eax, bit: 10)])
        XCTAssertEqual(v6_19.dependencyGraph.directDependencies(of: "SGX_EUPDATESVN"), ["SGX1"])
        XCTAssertFalse(feature.exists(in: .v6_18))
    }
}
