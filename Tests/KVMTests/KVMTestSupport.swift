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

    /// KVM's own descriptors (/dev/kvm, kvm-vm, kvm-vcpu anon inodes): a leak of any handle shows here exactly,
    /// whatever else the test process (XCTest, Dispatch) opens meanwhile.
    static func kvmDescriptorCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { name in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)")) ?? ""
            return target.contains("kvm")
        }.count
    }

    /// KVM-backed mappings (each vCPU's kvm_run area is mapped from its anon_inode:kvm-vcpu).
    static func kvmMappingCount() throws -> Int {
        try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("kvm") }.count
    }

    /// Checks that `runs` uses of KVM released everything: KVM descriptors and mappings exactly, and the
    /// process totals within a small slack, since the heap and the test runner may map or open a few
    /// things of their own meanwhile while a leak would add at least one per run.
    static func assertNoLeak(since before: ResourceCounts, runs: Int,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let after = try ResourceCounts.now()
        XCTAssertEqual(after.kvmDescriptors, before.kvmDescriptors, "KVM descriptors", file: file, line: line)
        XCTAssertEqual(after.kvmMappings, before.kvmMappings, "KVM mappings", file: file, line: line)
        let slack = max(4, runs / 10)
        XCTAssertLessThanOrEqual(after.descriptors, before.descriptors + min(slack, 8), "descriptors", file: file, line: line)
        XCTAssertLessThanOrEqual(after.mappings, before.mappings + slack, "mappings", file: file, line: line)
    }
}

/// This process's descriptor and mapping counts at one moment.
struct ResourceCounts {
    var descriptors: Int
    var mappings: Int
    var kvmDescriptors: Int
    var kvmMappings: Int

    static func now() throws -> ResourceCounts {
        ResourceCounts(descriptors: try KVMTestSupport.openDescriptorCount(),
                       mappings: try KVMTestSupport.mappingCount(),
                       kvmDescriptors: try KVMTestSupport.kvmDescriptorCount(),
                       kvmMappings: try KVMTestSupport.kvmMappingCount())
    }
}
