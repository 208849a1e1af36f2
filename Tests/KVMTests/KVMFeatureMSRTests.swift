import CPUID
import Foundation
import XCTest
@testable import KVM

/// Feature MSRs on /dev/kvm: the index list and the values, checked against a minimal C program that issues
/// the same two ioctls (compiled here with `cc`; skipped where there is no compiler or no KVM).
final class KVMFeatureMSRTests: XCTestCase {
    private static let program = """
        #include <fcntl.h>
        #include <linux/kvm.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/ioctl.h>
        int main(void) {
            int kvm = open("/dev/kvm", O_RDWR);
            if (kvm < 0) return 2;
            struct kvm_msr_list probe = { .nmsrs = 0 };
            ioctl(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, &probe);
            struct kvm_msr_list *list = calloc(1, sizeof *list + probe.nmsrs * sizeof(__u32));
            list->nmsrs = probe.nmsrs;
            if (ioctl(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, list) < 0) return 3;
            for (__u32 i = 0; i < list->nmsrs; i++) {
                struct { struct kvm_msrs head; struct kvm_msr_entry entry; } one = { .head.nmsrs = 1 };
                one.entry.index = list->indices[i];
                if (ioctl(kvm, KVM_GET_MSRS, &one) == 1) printf("%x %llx\\n", one.entry.index, (unsigned long long)one.entry.data);
                else printf("%x faulted\\n", one.entry.index);
            }
            return 0;
        }
        """

    private func system() throws -> KVMSystem {
        let kvm = try KVMTestSupport.system()
        guard kvm.offersFeatureMSRs else { throw XCTSkip("this KVM lacks KVM_CAP_GET_MSR_FEATURES") }
        return kvm
    }

    func testIndexListAndValuesAgreeWithAMinimalCProgram() throws {
        let kvm = try system()
        let ours = try kvm.featureMSRs()
        XCTAssertEqual(ours.map(\.index), try kvm.featureMSRIndices(), "one value per listed index, in KVM's order")
        XCTAssertFalse(ours.isEmpty)

        guard let cc = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("no C compiler to build the reference program")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-msr-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("msrs.c")
        let binary = folder.appendingPathComponent("msrs")
        try Self.program.write(to: source, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(cc, [source.path, "-o", binary.path]).status, 0)
        let reference = try run(binary.path, [])
        XCTAssertEqual(reference.status, 0)
        let theirs = reference.output.split(separator: "\n").map { line -> MSR in
            let parts = line.split(separator: " ")
            let index = UInt32(parts[0], radix: 16)!
            return parts[1] == "faulted" ? MSR(index, .faulted) : MSR(index, .value(UInt64(parts[1], radix: 16)!))
        }
        XCTAssertEqual(ours, theirs)
    }

    private func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
