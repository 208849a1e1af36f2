import CPUID
@testable import Fleet
import XCTest

final class NodeLabelsTests: XCTestCase {
    func testNFDAndKubeVirtNamesFromOneCPUID() throws {
        let labels = NodeLabels(try FleetFixtures.snapshot(FleetFixtures.skylakeX))
        let keys = Set(labels.all.map(\.key))
        XCTAssertTrue(keys.contains("feature.node.kubernetes.io/cpu-cpuid.AVX512F"))
        XCTAssertTrue(keys.contains("feature.node.kubernetes.io/cpu-cpuid.X86_64_V4"))
        XCTAssertTrue(keys.contains("cpu-feature.node.kubevirt.io/avx512f"))
        XCTAssertTrue(keys.contains("cpu-feature.node.kubevirt.io/avx512vnni"))
        XCTAssertTrue(keys.contains("cpu-vendor.node.kubevirt.io/Intel"))
        // NFD's deny-list keeps ubiquitous flags out.
        XCTAssertFalse(keys.contains("feature.node.kubernetes.io/cpu-cpuid.SSE2"))
        XCTAssertFalse(keys.contains("feature.node.kubernetes.io/cpu-cpuid.CMOV"))
        XCTAssertEqual(labels.nodeFeatureDiscovery.first { $0.key.hasSuffix("cpu-model.id") }?.value, "85")
        XCTAssertEqual(labels.nodeFeatureDiscovery.first { $0.key.hasSuffix("cpu-model.vendor_id") }?.value, "Intel")
    }

    func testEveryNFDNameIsUniqueAndEveryFieldOneBit() {
        let names = NFDFeatureNames.table.map(\.name)
        XCTAssertEqual(names.count, Set(names).count)
        XCTAssertTrue(NFDFeatureNames.table.allSatisfy { $0.field.isSingleBit })
    }
}
