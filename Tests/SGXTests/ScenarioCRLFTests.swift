import XCTest
@testable import SGX

/// scenarios saved with Windows line ends parse like Unix ones ("\r\n" is one Swift Character).
final class ScenarioCRLFTests: XCTestCase {
    func testCRLFScenarioParsesLineByLine() throws {
        let unix = "eenter\naex\nexpect cssa=1 mode=outside\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try ScenarioParser.parse(unix, name: "unix.sgx")
        let b = try ScenarioParser.parse(windows, name: "windows.sgx")
        XCTAssertEqual(a.steps, b.steps)
        XCTAssertEqual(b.steps.count, 3)
        XCTAssertTrue(ScenarioRunner().run(b).passed)
    }

    func testErrorLineNumbersCountCRLFLines() {
        XCTAssertThrowsError(try ScenarioParser.parse("eenter\r\naex\r\nbogus\r\n", name: "w.sgx")) { error in
            XCTAssertEqual((error as? ScenarioError)?.line, 3)
        }
    }
}
