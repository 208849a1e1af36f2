import X86Features
import XCTest

final class FeatureDependenciesTests: XCTestCase {
    func testClearingSGXClearsExactlyTheSGXFamily() {
        let expected: [(KernelProfile, Set<String>)] = [
            (.v6_1, ["SGX_LC", "SGX1", "SGX2"]),
            (.v6_2, ["SGX_LC", "SGX1", "SGX2", "SGX_EDECCSSA"]),
            (.v6_18, ["SGX_LC", "SGX1", "SGX2", "SGX_EDECCSSA"]),
        ]
        for (profile, family) in expected {
            let cleared = Set(profile.dependencyGraph.closure(clearing: ["SGX"]).keys).subtracting(["SGX"])
            XCTAssertEqual(cleared, family, "\(profile)")
            XCTAssertEqual(Set(profile.dependencyGraph.allDependents(of: "SGX")), family, "\(profile)")
        }
    }

    func testClearingXSAVEClearsTheAVXAVX512AndAMXFamilies() {
        for profile in KernelProfile.all {
            let cleared = Set(profile.dependencyGraph.allDependents(of: "XSAVE"))
            // Before the rows AMX_{BF16,INT8,FP16} -> AMX_TILE (first carried in 6.17), only AMX_TILE follows XSAVE.
            let amxSubfeaturesFollow = profile.version >= KernelVersion(6, 17)
            let families = profile.features.map(\.name).filter {
                $0 == "AVX" || $0 == "AVX2" || $0.hasPrefix("AVX512") || $0 == "AMX_TILE"
                    || (amxSubfeaturesFollow && $0.hasPrefix("AMX_")) || $0 == "FMA"
                    || $0 == "VAES" || $0 == "VPCLMULQDQ" || $0 == "XSAVES" || $0 == "XSAVEC" || $0 == "XSAVEOPT"
            }
            XCTAssertFalse(families.isEmpty)
            for name in families {
                XCTAssertTrue(cleared.contains(name), "\(profile): clearing XSAVE must clear \(name)")
            }
            if !amxSubfeaturesFollow {
                XCTAssertFalse(cleared.contains("AMX_BF16"), "\(profile) has no AMX_BF16 -> AMX_TILE row")
            }
            XCTAssertFalse(cleared.contains("XMM2"), "\(profile): SSE2 does not need XSAVE")
            XCTAssertFalse(cleared.contains("FPU"))
        }
    }

    func testChainsBothWays() {
        let graph = KernelProfile.v6_18.dependencyGraph
        XCTAssertEqual(graph.dependencyChains(of: "SGX_EDECCSSA"), [["SGX_EDECCSSA", "SGX1", "SGX"]])
        XCTAssertEqual(graph.directDependencies(of: "SGX2"), ["SGX1"])
        XCTAssertEqual(Set(graph.directDependents(of: "SGX1")), ["SGX2", "SGX_EDECCSSA"])
        XCTAssertTrue(graph.dependentChains(of: "SGX").contains(["SGX", "SGX1", "SGX_EDECCSSA"]))
        XCTAssertEqual(graph.allDependencies(of: "AMX_TILE").first, "XFD")
    }

    func testClosureRecordsTheCause() {
        let closure = KernelProfile.v6_18.dependencyGraph.closure(clearing: ["SGX"])
        XCTAssertEqual(closure["SGX_EDECCSSA"], .some("SGX1"))
        XCTAssertEqual(closure["SGX1"], .some("SGX"))
        XCTAssertEqual(closure["SGX"], .some(nil))
    }
}
