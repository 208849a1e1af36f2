import Foundation
import X86Features
import XCTest

/// The generated kernel tables against the release files: reproduced byte for byte where the files are present,
/// and spot checks of facts read from the sources.
final class KernelTablesTests: XCTestCase {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `VCPUID_KERNEL_FILES`, else `../kernel-files` next to the package: one vX.Y directory per release.
    static var kernelFiles: URL {
        if let path = ProcessInfo.processInfo.environment["VCPUID_KERNEL_FILES"] { return URL(fileURLWithPath: path) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("kernel-files")
    }

    func testGeneratorReproducesTheTablesByteForByte() throws {
        let releases = KernelRelease.carried.map(\.version.description)
        let missing = releases.filter { release in
            ["cpufeatures.h", "scattered.c", "cpuid-deps.c"].contains { name in
                !FileManager.default.fileExists(atPath: Self.kernelFiles.appendingPathComponent("v\(release)/\(name)").path)
            }
        }
        guard missing.isEmpty else {
            throw XCTSkip("kernel release files not present in \(Self.kernelFiles.path) (set VCPUID_KERNEL_FILES) for v"
                + missing.joined(separator: ", v"))
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3") }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-kernel-tables-\(getpid())")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.packageRoot.appendingPathComponent("scripts/gen-kernel-tables.py").path,
                             Self.kernelFiles.path, output.path, "--releases", releases.joined(separator: ",")]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let tables = Self.packageRoot.appendingPathComponent("Sources/X86Features/Tables")
        for name in ["KernelReleases.swift", "KernelFeatureRows.swift", "KernelBugRows.swift", "KernelScatteredRows.swift",
                     "KernelDependencyRows.swift"] {
            let generated = try Data(contentsOf: output.appendingPathComponent(name))
            let committed = try Data(contentsOf: tables.appendingPathComponent(name))
            XCTAssertEqual(generated, committed, "\(name) differs from the generator's output: a changed table or a "
                + "different copy of a release file (the blob ids in KernelReleases.swift say which)")
        }
    }

    func testCapabilityWordCountsPerRelease() throws {
        func words(_ major: Int, _ minor: Int) throws -> (Int, Int) {
            let profile = try XCTUnwrap(KernelProfile.release(KernelVersion(major, minor)))
            return (profile.capabilityWords, profile.bugWords)
        }
        XCTAssertEqual(try words(5, 10).0, 19)
        for (major, minor) in [(5, 15), (6, 1), (6, 2)] { XCTAssertEqual(try words(major, minor).0, 20) }
        for (major, minor) in [(6, 4), (6, 5), (6, 6), (6, 8)] { XCTAssertEqual(try words(major, minor).0, 21) }
        for release in KernelRelease.carried where release.version >= KernelVersion(6, 9) {
            XCTAssertEqual(release.capabilityWords, 22, "\(release.version)")
        }
        XCTAssertEqual(try words(6, 2).1, 1)
        XCTAssertEqual(try words(6, 5).1, 2)
    }

    func testSGXArrivesIn511AndEDECCSSAIn62() throws {
        let v5_10 = try XCTUnwrap(KernelProfile.release(KernelVersion(5, 10)))
        let v5_11 = try XCTUnwrap(KernelProfile.release(KernelVersion(5, 11)))
        XCTAssertNil(v5_10.number(ofFeature: "SGX"))
        XCTAssertEqual(v5_11.number(ofFeature: "SGX"), FeatureNumber(word: 9, bit: 2))
        XCTAssertNil(KernelProfile.v6_1.number(ofFeature: "SGX_EDECCSSA"))
        for release in KernelRelease.carried where release.version >= KernelVersion(6, 2) {
            let profile = try XCTUnwrap(KernelProfile.release(release.version))
            let row = try XCTUnwrap(profile.featureRow(named: "SGX_EDECCSSA"), "\(release.version)")
            XCTAssertEqual(FeatureNumber(word: row.word, bit: row.bit), FeatureNumber(word: 11, bit: 18))
            XCTAssertNil(profile.procName(of: row), "hidden in \(release.version)")
        }
        XCTAssertEqual(FeatureCatalogue.shared.lookup("sgx")?.addedIn, .release(KernelVersion(5, 11)))
        XCTAssertEqual(FeatureCatalogue.shared.lookup("sgx_edeccssa")?.addedIn, .release(KernelVersion(6, 2)))
        XCTAssertEqual(FeatureCatalogue.shared.lookup("avx2")?.addedIn, .atOrBefore(KernelVersion(5, 10)))
        XCTAssertEqual(FeatureCatalogue.shared.lookup("avx2")?.addedIn.description, "v5.10 or earlier")
    }

    func testProcNamingRuleSwitchesAt611() throws {
        for release in KernelRelease.carried {
            let profile = try XCTUnwrap(KernelProfile.release(release.version))
            XCTAssertEqual(profile.procNaming, release.version >= KernelVersion(6, 11) ? .quotedOnly : .macroUnlessQuoted)
        }
        // A row without a quoted name: shown under its macro name in 6.9, hidden from 6.12.
        let v6_9 = try XCTUnwrap(KernelProfile.release(KernelVersion(6, 9)))
        let v6_12 = try XCTUnwrap(KernelProfile.release(KernelVersion(6, 12)))
        XCTAssertEqual(v6_9.procName(of: .init("ARCH_CAPABILITIES", 18, 29)), "arch_capabilities")
        XCTAssertNil(v6_12.procName(of: .init("ARCH_CAPABILITIES", 18, 29)))
        // 6.12 quotes the names it shows.
        XCTAssertEqual(v6_12.featureRow(named: "ARCH_CAPABILITIES")?.quotedName, "arch_capabilities")
        XCTAssertNil(v6_9.featureRow(named: "ARCH_CAPABILITIES")?.quotedName)
    }

    func testProfilesAreBuiltFromTheManifest() throws {
        for release in KernelRelease.carried {
            let profile = try XCTUnwrap(KernelProfile.release(release.version))
            XCTAssertEqual(profile.version, release.version)
            XCTAssertEqual(release.cpufeaturesBlob.count, 40)
            let names = profile.features.map(\.name)
            XCTAssertEqual(names.count, Set(names).count, "\(release.version): each macro once")
        }
        XCTAssertNil(KernelProfile.release(KernelVersion(6, 3)), "no 6.3 tables are carried")
    }

    func testHistoryAgreesWithTheProfiles() throws {
        let catalogue = FeatureCatalogue.shared
        for name in ["SGX_EDECCSSA", "ARCH_CAPABILITIES", "K7", "SYSFAST32"] {
            let feature = try XCTUnwrap(catalogue.feature(named: name), name)
            let history = catalogue.history(of: feature)
            XCTAssertEqual(history.map(\.release), KernelRelease.carried.map(\.version))
            for entry in history {
                let profile = try XCTUnwrap(KernelProfile.release(entry.release))
                XCTAssertEqual(entry.number, feature.kernelSpelling(in: profile), "\(name) \(entry.release)")
                XCTAssertEqual(entry.procName, feature.procName(in: profile), "\(name) \(entry.release)")
            }
        }
        let bug = try XCTUnwrap(catalogue.lookup("BUG_SRSO"))
        XCTAssertEqual(catalogue.history(of: bug).first { $0.exists }?.release, KernelVersion(6, 5))
    }

    func testPointReleaseNoteNamesKnownBackports() {
        let note = KernelResolution(KernelVersion(6, 6, 70)).pointReleaseNote ?? ""
        XCTAssertTrue(note.contains("profile: Linux 6.6.0 tables; this host runs 6.6.70"), note)
        XCTAssertTrue(note.contains("NCAPINTS 22"), note)
        XCTAssertTrue(note.contains("stable trees read up to 6.6.57"), note)
        XCTAssertNil(KernelResolution(KernelVersion(6, 6)).pointReleaseNote)
        // Word 21 (NCAPINTS 22) reached 6.6.y in 6.6.26, with the BHI rows; 6.6.25 still has 21 words.
        XCTAssertFalse((KernelResolution(KernelVersion(6, 6, 25)).pointReleaseNote ?? "").contains("NCAPINTS 22"))
        let ncapints = StableBackports.known(for: KernelVersion(6, 6, 57)).first { $0.name == "NCAPINTS" }
        XCTAssertEqual(ncapints?.by, KernelVersion(6, 6, 26))
        XCTAssertEqual(ncapints?.value, "22")
        // 6.1.y took the SRSO rows in 6.1.46, and there CLEAR_CPU_BUF sits at 11*32+18 (SGX_EDECCSSA's number upstream).
        let clear = StableBackports.known(for: KernelVersion(6, 1, 142)).first { $0.name == "CLEAR_CPU_BUF" }
        XCTAssertEqual(clear?.value, "11*32+18 \"\"")
    }
}

/// The stable-backport table is regenerated byte for byte from the point-release files where they are present.
final class StableBackportTablesTests: XCTestCase {
    func testGeneratorReproducesTheStableTable() throws {
        let root = KernelTablesTests.kernelFiles
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("stable").path) else {
            throw XCTSkip("no stable point-release files in \(root.path)/stable (set VCPUID_KERNEL_FILES)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3") }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-stable-\(getpid()).swift")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [KernelTablesTests.packageRoot.appendingPathComponent("scripts/gen-stable-backports.py").path,
                             root.path, output.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let committed = KernelTablesTests.packageRoot.appendingPathComponent("Sources/X86Features/Tables/StableBackportRows.swift")
        XCTAssertEqual(try Data(contentsOf: output), try Data(contentsOf: committed),
                       "StableBackportRows.swift differs from the generator's output for the point releases present")
    }
}
