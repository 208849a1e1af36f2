import Foundation
import XCTest
@testable import CPUID

/// /dev/cpu/N/msr is read with pread at offset = index; a file laid out the same way stands in for the device
/// (these machines have no msr driver), and a missing device says how to load it.
final class DevMSRFileTests: XCTestCase {
    func testValuesAreReadAtTheirIndexAsOffset() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-msr-\(getpid())").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        for (index, value) in [(UInt32(0x10A), UInt64(0x4000_0000_0C00_0069)), (0x345, 0x33C5)] {
            try handle.seek(toOffset: UInt64(index))
            try handle.write(contentsOf: withUnsafeBytes(of: value.littleEndian) { Data($0) })
        }
        try handle.close()
        XCTAssertEqual(try DevMSRFile.read(path: path, indices: [0x345, 0x10A]),
                       [MSR(0x345, .value(0x33C5)), MSR(0x10A, .value(0x4000_0000_0C00_0069))])
    }

    func testAMissingDeviceSaysHowToLoadTheDriver() {
        XCTAssertThrowsError(try DevMSRFile.read(path: "/nonexistent/cpu/0/msr", indices: [0x10A])) { error in
            XCTAssertEqual(error as? LiveSourceError, .msrDeviceMissing(path: "/nonexistent/cpu/0/msr"))
            XCTAssertTrue("\(error)".contains("modprobe msr"))
        }
    }
}
