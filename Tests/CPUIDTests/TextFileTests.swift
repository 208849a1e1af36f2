import CPUID
import Foundation
import XCTest

/// `TextFile` replaced Foundation's file reading in the executable: same text, the C library's reasons.
final class TextFileTests: XCTestCase {
    private func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testReadsTheWholeFile() throws {
        let text = "6.18.0-vcpuid\nsecond line é\n"
        XCTAssertEqual(try TextFile.string(path: try temporaryFile(text)), text)
    }

    func testMissingFileNamesTheCLibraryReason() {
        XCTAssertThrowsError(try TextFile.string(path: "/nonexistent/vcpuid-text-file")) { error in
            XCTAssertEqual((error as? TextFile.ReadError)?.reason, "No such file or directory (errno 2)")
        }
    }

    func testDirectoryAndOversizedFileAreRefused() throws {
        XCTAssertThrowsError(try TextFile.bytes(path: "/")) { error in
            XCTAssertEqual("\(error)", "it is a directory")
        }
        XCTAssertThrowsError(try TextFile.bytes(path: try temporaryFile("0123456789"), limit: 4)) { error in
            XCTAssertEqual("\(error)", "it has 10 bytes, more than the 4 bytes vcpuid reads")
        }
    }
}
