import KVM
import XCTest

final class KVMReportSectionTests: XCTestCase {
    func testMissingDeviceIsReportedNotThrown() {
        let section = KVMReportSection.live(device: "/nonexistent/kvm")
        XCTAssertFalse(section.devicePresent)
        XCTAssertNil(section.apiVersion)
        XCTAssertNil(section.supportedEntryCount)
        let text = section.lines().joined(separator: "\n")
        XCTAssertTrue(text.contains("no /dev/kvm"), text)
        XCTAssertTrue(text.contains("load the KVM module"), text)
        XCTAssertTrue(text.hasPrefix("kvm module"), text)
    }

    func testLiveSectionNamesModuleAPIAndEntryCount() throws {
        let kvm = try KVMTestSupport.system()
        let expectedCount = try kvm.supportedCPUID().count
        let section = KVMReportSection.live()
        XCTAssertEqual(section.apiVersion, 12)
        XCTAssertEqual(section.supportedEntryCount, expectedCount)
        XCTAssertNil(section.error)
        let text = section.lines().joined(separator: "\n")
        XCTAssertTrue(text.contains("kvm api    12"), text)
        XCTAssertTrue(text.contains("\(expectedCount) CPUID entries"), text)
        if let name = KVMModuleInfo.detect().name { XCTAssertTrue(text.contains(name), text) }
    }
}
