import Foundation
import KVM
import XCTest

final class KVMModuleInfoTests: XCTestCase {
    func testDetectsVendorModuleAndParametersFromASysfsTree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sysmod-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let params = root.appendingPathComponent("kvm_intel/parameters")
        try FileManager.default.createDirectory(at: params, withIntermediateDirectories: true)
        try "N\n".write(to: params.appendingPathComponent("sgx"), atomically: true, encoding: .utf8)
        let info = KVMModuleInfo.detect(sysModule: root.path)
        XCTAssertEqual(info.name, "kvm_intel")
        XCTAssertEqual(info.parameters["sgx"], "N")
    }
}
