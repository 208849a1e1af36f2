import Foundation
import KVM
import XCTest

/// Shared helpers for tests that need a usable /dev/kvm and that count this process's resources.
enum KVMTestSupport {
    /// Opens /dev/kvm or skips the test with the reason.
    static func system() throws -> KVMSystem {
        guard KVMSystem.isPresent() else { throw XCTSkip("/dev/kvm is absent on this machine") }
        do {
            return try KVMSystem()
        } catch {
            throw XCTSkip("/dev/kvm is not usable: \(error)")
        }
    }

    /// Open file descriptors of this process (entries in /proc/self/fd).
    static func openDescriptorCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }

    /// Memory mappings of this process (lines in /proc/self/maps).
    static func mappingCount() throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        return text.split(separator: "\n").count
    }
}
