import Foundation
import XCTest

/// Where the test data lives: this repository's Tests/Fixtures, and the shared corpus next to the repository.
enum FixturePaths {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/formats").appendingPathComponent(name).path
    }

    /// ../shared/corpus/libcpuid, or a skip naming why the corpus tests cannot run.
    static func libcpuidCorpus() throws -> URL {
        let corpus = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid")
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            throw XCTSkip("the libcpuid corpus is not at \(corpus.path) (it sits next to the repository on the development machine only)")
        }
        return corpus
    }

    static func corpusFiles() throws -> [URL] {
        let corpus = try libcpuidCorpus()
        guard let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "test" }
            .sorted { $0.path < $1.path }
    }
}
