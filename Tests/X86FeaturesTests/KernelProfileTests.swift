import X86Features
import XCTest

/// The carried kernel tables against facts counted in the kernel sources of each release.
final class KernelProfileTests: XCTestCase {
    func testWordCountsAndRowCountsMatchEachRelease() {
        // (version, NCAPINTS, NBUGINTS, X86_FEATURE_ macros, X86_BUG_ macros on x86_64, scattered rows, dependency rows)
        let expected: [(KernelProfile, Int, Int, Int, Int, Int, Int)] = [
            (.v6_1, 20, 1, 340, 28, 22, 58),
            (.v6_2, 20, 1, 345, 29, 23, 59),
            (.v6_18, 22, 2, 414, 41, 36, 69),
        ]
        for (profile, words, bugWords, features, bugs, scattered, deps) in expected {
            XCTAssertEqual(profile.capabilityWords, words, "\(profile)")
            XCTAssertEqual(profile.bugWords, bugWords, "\(profile)")
            XCTAssertEqual(profile.features.count, features, "\(profile)")
            XCTAssertEqual(profile.bugs.count, bugs, "\(profile)")
            XCTAssertEqual(profile.scattered.count, scattered, "\(profile)")
            XCTAssertEqual(profile.dependencies.count, deps, "\(profile)")
        }
    }

    func testNumbersAreUniqueAndWithinTheWords() {
        for profile in KernelProfile.all {
            var seen: Set<Int> = []
            for row in profile.features {
                XCTAssertLessThan(row.word, profile.capabilityWords, "\(profile) \(row.name)")
                XCTAssertTrue(seen.insert(row.word * 32 + row.bit).inserted, "\(profile): \(row.name) reuses a number")
            }
            var bugs: Set<Int> = []
            for row in profile.bugs {
                XCTAssertLessThan(row.word, profile.bugWords, "\(profile) \(row.name)")
                XCTAssertTrue(bugs.insert(row.word * 32 + row.bit).inserted, "\(profile): bug \(row.name) reuses a number")
            }
        }
    }

    /// Scattered rows and lookups resolve features by name, so a name may stand only once per profile.
    func testNamesAreUniqueWithinAProfile() {
        for profile in KernelProfile.all {
            var features: Set<String> = []
            for row in profile.features {
                XCTAssertTrue(features.insert(row.name).inserted, "\(profile): feature \(row.name) is defined twice")
            }
            var bugs: Set<String> = []
            for row in profile.bugs {
                XCTAssertTrue(bugs.insert(row.name).inserted, "\(profile): bug \(row.name) is defined twice")
            }
        }
    }

    func testEveryScatteredAndDependencyRowNamesADefinedFeature() {
        for profile in KernelProfile.all {
            for row in profile.scattered {
                XCTAssertNotNil(profile.number(ofFeature: row.name), "\(profile) scattered \(row.name)")
            }
            for row in profile.dependencies {
                XCTAssertNotNil(profile.number(ofFeature: row.name), "\(profile) dependency \(row.name)")
                XCTAssertNotNil(profile.number(ofFeature: row.dependsOn), "\(profile) dependency target \(row.dependsOn)")
            }
        }
    }

    func testSGXEDECCSSAExistsFromLinux62AtWord11Bit18Hidden() {
        XCTAssertNil(KernelProfile.v6_1.number(ofFeature: "SGX_EDECCSSA"))
        for profile in [KernelProfile.v6_2, .v6_18] {
            XCTAssertEqual(profile.number(ofFeature: "SGX_EDECCSSA"), FeatureNumber(word: 11, bit: 18))
            let row = profile.featureRow(named: "SGX_EDECCSSA")
            XCTAssertNotNil(row)
            XCTAssertNil(row.flatMap { profile.procName(of: $0) }, "hidden in /proc/cpuinfo on \(profile)")
            XCTAssertTrue(profile.scattered.contains(.init("SGX_EDECCSSA", .eax, 11, 0x12, 0)))
            XCTAssertTrue(profile.dependencies.contains(.init("SGX_EDECCSSA", "SGX1")))
        }
        XCTAssertFalse(KernelProfile.v6_1.scattered.contains { $0.name == "SGX_EDECCSSA" })
    }

    func testSGXEUPDATESVNArrivesIn619() {
        // Absent through 6.18; 21*32+17 from 6.19, behind the scattered row 0x12.0 EAX[10].
        for profile in KernelProfile.all {
            let number = profile.number(ofFeature: "SGX_EUPDATESVN")
            if profile.version < KernelVersion(6, 19) {
                XCTAssertNil(number, "\(profile)")
            } else {
                XCTAssertEqual(number, FeatureNumber(word: 21, bit: 17), "\(profile)")
                XCTAssertTrue(profile.scattered.contains(.init("SGX_EUPDATESVN", .eax, 10, 0x12, 0)), "\(profile)")
            }
        }
    }

    func testProcNamingFollowsTheV611Flip() {
        XCTAssertEqual(KernelProfile.v6_2.procNaming, .macroUnlessQuoted)
        XCTAssertEqual(KernelProfile.v6_18.procNaming, .quotedOnly)
        func proc(_ profile: KernelProfile, _ name: String) -> String? {
            profile.featureRow(named: name).flatMap { profile.procName(of: $0) }
        }
        // Lower-cased macro name before 6.11, quoted name when given, "" hides.
        XCTAssertEqual(proc(.v6_2, "VME"), "vme")
        XCTAssertEqual(proc(.v6_2, "XMM3"), "pni")
        XCTAssertNil(proc(.v6_2, "SGX1"))
        XCTAssertEqual(proc(.v6_2, "SGX"), "sgx")
        XCTAssertEqual(proc(.v6_2, "SGX_LC"), "sgx_lc")
        // From 6.11 only quoted names show.
        XCTAssertEqual(proc(.v6_18, "VME"), "vme")
        XCTAssertEqual(proc(.v6_18, "XMM3"), "pni")
        XCTAssertEqual(proc(.v6_18, "SGX"), "sgx")
        XCTAssertNil(proc(.v6_18, "SGX1"))
        XCTAssertNil(proc(.v6_18, "SHSTK"), "no quoted name in 6.18")
        XCTAssertNil(proc(.v6_18, "RETPOLINE"))
        XCTAssertEqual(proc(.v6_1, "RETPOLINE"), nil, "\"\" hides it in 6.1")
        XCTAssertEqual(proc(.v6_1, "CONSTANT_TSC"), "constant_tsc")
    }

    func testProfileForPicksTheExactReleaseOrTheNewestCarriedBelow() {
        for release in KernelRelease.carried {
            XCTAssertEqual(KernelProfile.for(release.version).version, release.version)
        }
        XCTAssertEqual(KernelProfile.for(KernelVersion(6, 8)).version, KernelVersion(6, 8))
        XCTAssertEqual(KernelProfile.for(KernelVersion(5, 15)).version, KernelVersion(5, 15))
        XCTAssertEqual(KernelProfile.for(KernelVersion(6, 8, 12)).version, KernelVersion(6, 8))
        // Releases between carried ones, and past the newest, say so.
        let gap = KernelResolution(KernelVersion(6, 3))
        XCTAssertEqual(gap.profileVersion, KernelVersion(6, 2))
        XCTAssertFalse(gap.isExact)
        XCTAssertNotNil(gap.substitution)
        let newer = KernelResolution(KernelVersion(7, 9))
        XCTAssertEqual(newer.profileVersion, KernelVersion(7, 0))
        XCTAssertTrue(newer.substitution?.contains("newer than every carried profile") ?? false)
    }

    func testBugNumbersFollowTheFeatureWords() {
        XCTAssertEqual(KernelProfile.v6_18.number(ofBug: "SRSO"), FeatureNumber(word: 23, bit: 0))
        XCTAssertEqual(KernelProfile.v6_2.number(ofBug: "F00F"), FeatureNumber(word: 20, bit: 0))
        XCTAssertNil(KernelProfile.v6_2.number(ofBug: "SRSO"))
    }
}
