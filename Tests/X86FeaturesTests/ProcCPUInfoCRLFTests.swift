import XCTest
@testable import X86Features

/// a /proc/cpuinfo saved with Windows line ends reads like the original ("\r\n" is one Character).
final class ProcCPUInfoCRLFTests: XCTestCase {
    func testCRLFCPUInfoParses() throws {
        let unix = "processor\t: 0\nflags\t\t: fpu sse2 avx\n\nprocessor\t: 1\nflags\t\t: fpu sse2\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        let info = try ProcCPUInfo.parse(windows, name: "cpuinfo")
        XCTAssertEqual(info.processors.map(\.number), [0, 1])
        XCTAssertEqual(info.processors.first?.flags, ["fpu", "sse2", "avx"])
    }
}
