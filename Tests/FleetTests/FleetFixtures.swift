import CPUID
import Foundation
import XCTest

/// The fleet fixtures (CPU 0 of real corpus dumps) and the shared corpus when it is present.
enum FleetFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ name: String) -> String {
        root.appendingPathComponent("Tests/Fixtures/fleet").appendingPathComponent(name).path
    }

    static func snapshot(_ name: String) throws -> Snapshot {
        try DumpReader.read(path: path(name)).first
    }

    static let skylakeX = "skylake-x-i9-10980xe.cpuid"
    static let cometLake = "comet-lake-i7-10700k.cpuid"
    static let coffeeLake = "coffee-lake-i9-9900k.cpuid"
    static let haswell = "haswell-i7-4770.cpuid"
    static let iceLake = "ice-lake-i7-1065g7.cpuid"
    static let zen4 = "zen4-ryzen-7-7700x.cpuid"
    static let amx = "amx-derived-from-i9-10980xe.cpuid"

    /// ../shared/corpus/libcpuid, or a skip saying why.
    static func corpus() throws -> URL {
        let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid")
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            throw XCTSkip("the libcpuid corpus is not at \(corpus.path) (it sits next to the repository on the development machine only)")
        }
        return corpus
    }
}
