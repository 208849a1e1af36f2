import CPUID
import KVM
import X86Features
import XCTest

/// The model over the 425 real dumps of the shared corpus: it must give every host a table with a rule
/// behind every bit, and leaf 0x12 must never offer more than the host and the kernel's mask allow.
final class ModelCorpusTests: XCTestCase {
    private func corpusFiles() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid")
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw XCTSkip("the shared corpus is absent (\(root.path)); it lives beside the repository on the project's machines")
        }
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".test") && !$0.hasPrefix("arm/") }
        guard !files.isEmpty else { throw XCTSkip("the shared corpus at \(root.path) has no .test files") }
        return files.sorted().map { root.appendingPathComponent($0).path }
    }

    func testEveryCorpusHostGetsAFullyExplainedTable() throws {
        var hosts = 0
        var sgxHosts = 0
        for path in try corpusFiles() {
            guard let dump = try? DumpReader.read(path: path, format: nil), !dump.first.isEmpty else { continue }
            let host = dump.first
            hosts += 1
            let module: KVMModuleOptions = ["AuthenticAMD", "HygonGenuine"].contains(host.vendor) ? .amd : .intel()
            // Each host is checked against one kernel, in turn, to keep the test quick.
            let kernels = KVMKernelProfile.all
            for kernel in [kernels[hosts % kernels.count]] {
                let p = KVMSupportedModel.predict(host: host, linux: KernelProfile.for(kernel.version), kvm: kernel,
                                                  module: module)
                XCTAssertLessThanOrEqual(p.snapshot.maxBasicLeaf, p.kernel.maxBasicLeaf, path)
                for entry in p.snapshot.entries {
                    for register in Register.allCases {
                        let covered = p.rules(entry.leaf, entry.subleaf, register).reduce(UInt32(0)) { $0 | $1.mask }
                        XCTAssertEqual(covered, .max, "\(path) \(kernel.version) \(entry.key) \(register)")
                    }
                }
                let offered = p.snapshot.value(0x12, 0, .eax)
                let hostSGX = host.maxBasicLeaf >= 0x12 ? host.value(0x12, 0, .eax) : 0
                let mask = kernel.initializer(for: .cpuid_12_EAX)?.rows.reduce(UInt32(0)) { $0 | 1 << UInt32($1.bit) } ?? 0
                XCTAssertEqual(offered & ~(hostSGX & mask), 0, "\(path) \(kernel.version) offers SGX bits the host or mask lacks")
            }
            if host.isSet(CPUIDField(7, 0, .ebx, bit: 2)) { sgxHosts += 1 }
        }
        XCTAssertGreaterThan(hosts, 300, "most corpus dumps should read")
        XCTAssertGreaterThan(sgxHosts, 0, "the corpus has SGX hosts")
    }
}
