import XCTest
@testable import X86Features

/// The conditions of a derived feature live in `SyntheticRules` only; the reasons table gives its kind of source.
final class SyntheticReasonHomeTests: XCTestCase {
    func testEveryRowWithoutTextIsDerivedByARule() {
        for (name, reason) in SyntheticFeatureReasons.table where reason.detail.isEmpty {
            XCTAssertFalse(SyntheticRules.conditions(setting: name, in: nil).isEmpty, "\(name) has no text and no rule")
        }
    }

    func testARuleDerivedFeatureTakesItsReasonFromTheRules() throws {
        let profile = KernelProfile.v6_18
        let k8 = try XCTUnwrap(FeatureCatalogue.shared.lookup("K8"))
        guard case let .synthetic(reason)? = k8.origin(in: profile) else { return XCTFail("K8 is synthetic") }
        XCTAssertEqual(reason.category, .model)
        XCTAssertEqual(reason.detail, SyntheticRules.conditions(setting: "K8", in: profile.version).joined(separator: "; "))
        XCTAssertTrue(reason.detail.contains("amd.c"), reason.detail)
    }
}
