import Foundation
import XCTest

/// A real browser opens the pictures: headless Chromium (Debian's `chromium`, installed by .ci/run) loads
/// each page from a file, runs its script, reports console messages, dumps the DOM and takes a screenshot.
final class ChromiumRenderTests: XCTestCase {
    static let root = HTMLReportCommandTests.root

    var directory: URL!

    override func setUpWithError() throws {
        guard Self.chromium != nil else {
            throw XCTSkip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let directory { try? FileManager.default.removeItem(at: directory) } }

    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium on a page with `extra` arguments; stdout and the console lines of stderr.
    func browse(_ page: String, _ extra: [String]) throws -> (dom: String, console: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["120", Self.chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                             "--enable-logging=stderr", "--v=0"] + extra + ["file://" + page]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = ReadInBackground(err.fileHandleForReading)
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "chromium failed")
        let console = errData.text.split(separator: "\n").map(String.init)
            .filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        return (dom, console)
    }

    func testReportOfAFixtureRendersWithItsMatrix() throws {
        let page = directory.appendingPathComponent("report.html").path
        let dump = Self.root.appendingPathComponent("Tests/Fixtures/sgx/aex-notify-capable.cpuid").path
        let result = try CLI.run(["report", "--html", page, dump])
        XCTAssertEqual(result.status, 0, result.stderr)
        let (dom, console) = try browse(page, ["--dump-dom"])
        XCTAssertEqual(console, [], "console messages")
        XCTAssertTrue(dom.contains("<table class=\"chain\" id=\"chain\">"), "the matrix is in the DOM")
        XCTAssertGreaterThan(dom.components(separatedBy: "<tr data-n=").count - 1, 300)
        // The script ran: it un-hid the filter and counted the rows.
        XCTAssertTrue(dom.contains("<div class=\"filter\" id=\"filter\">"), "the filter is shown")
        XCTAssertTrue(dom.contains("rows shown</span>"))

        let shot = directory.appendingPathComponent("report.png").path
        _ = try browse(page, ["--screenshot=\(shot)", "--window-size=1200,900"])
        try checkScreenshot(shot, width: 1200, height: 900)
    }

    func testAEXNotifyTimelineRenders() throws {
        let page = directory.appendingPathComponent("aex-notify.html").path
        let scenario = Self.root.appendingPathComponent("Examples/sgx/a-sdk-two-stage-handler.sgx").path
        XCTAssertEqual(try CLI.run(["sgx", "simulate", scenario, "--html", page]).status, 0)
        let (dom, console) = try browse(page, ["--dump-dom"])
        XCTAssertEqual(console, [])
        XCTAssertTrue(dom.contains("id=\"timeline\""))
        let shot = directory.appendingPathComponent("aex-notify.png").path
        _ = try browse(page, ["--screenshot=\(shot)", "--window-size=1000,800"])
        try checkScreenshot(shot, width: 1000, height: 800)
    }

    /// A PNG of the window's size, much larger than a blank page's (~6 KB at this size): something was drawn.
    func checkScreenshot(_ path: String, width: UInt32, height: UInt32) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        let bytes = [UInt8](data)
        func word(_ at: Int) -> UInt32 { bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        XCTAssertEqual(word(16), width)
        XCTAssertEqual(word(20), height)
        XCTAssertGreaterThan(data.count, 30_000, "the screenshot looks blank")
    }
}

/// Drains a pipe on another thread, so that a chatty stderr cannot block the browser.
final class ReadInBackground: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    var text: String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
