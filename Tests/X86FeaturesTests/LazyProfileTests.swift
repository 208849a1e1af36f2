@testable import X86Features
import XCTest

/// Start-up must not grow with the number of carried releases: only the releases asked for are built.
final class LazyProfileTests: XCTestCase {
    func testTheCatalogueBuildsNoProfile() {
        let before = KernelProfile.builtReleases
        let catalogue = FeatureCatalogue()
        XCTAssertNotNil(catalogue.lookup("sgx_edeccssa"))
        XCTAssertNotNil(catalogue.history(of: catalogue.lookup("sgx")!).last)
        _ = KernelResolution(KernelVersion(6, 3)).substitution
        XCTAssertEqual(KernelProfile.builtReleases, before, "lookups, history and resolution build no profile")
    }

    func testAReleaseBuildsOnlyItself() throws {
        let before = KernelProfile.builtReleases
        let profile = try XCTUnwrap(KernelProfile.release(KernelVersion(6, 5)))
        XCTAssertEqual(KernelProfile.builtReleases.subtracting(before).subtracting([KernelVersion(6, 5)]), [])
        XCTAssertTrue(KernelProfile.builtReleases.contains(profile.version))
    }
}
