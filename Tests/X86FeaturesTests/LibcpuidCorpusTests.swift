import CPUID
import Foundation
import X86Features
import XCTest

/// libcpuid's own flag list (the last line of each corpus dump) against the CPUID bits of the same dump.
final class LibcpuidCorpusTests: XCTestCase {
    /// libcpuid's flag name → the CPUID bit it reports. One row per name libcpuid and the CPUID bits share.
    static let libcpuidNames: [(name: String, field: CPUIDField)] = [
        ("fpu", CPUIDField(0x1, 0, .edx, bit: 0)), ("vme", CPUIDField(0x1, 0, .edx, bit: 1)),
        ("de", CPUIDField(0x1, 0, .edx, bit: 2)), ("pse", CPUIDField(0x1, 0, .edx, bit: 3)),
        ("tsc", CPUIDField(0x1, 0, .edx, bit: 4)), ("msr", CPUIDField(0x1, 0, .edx, bit: 5)),
        ("pae", CPUIDField(0x1, 0, .edx, bit: 6)), ("mce", CPUIDField(0x1, 0, .edx, bit: 7)),
        ("cx8", CPUIDField(0x1, 0, .edx, bit: 8)), ("apic", CPUIDField(0x1, 0, .edx, bit: 9)),
        ("sep", CPUIDField(0x1, 0, .edx, bit: 11)), ("mtrr", CPUIDField(0x1, 0, .edx, bit: 12)),
        ("pge", CPUIDField(0x1, 0, .edx, bit: 13)), ("mca", CPUIDField(0x1, 0, .edx, bit: 14)),
        ("cmov", CPUIDField(0x1, 0, .edx, bit: 15)), ("pat", CPUIDField(0x1, 0, .edx, bit: 16)),
        ("pse36", CPUIDField(0x1, 0, .edx, bit: 17)), ("pn", CPUIDField(0x1, 0, .edx, bit: 18)),
        ("clflush", CPUIDField(0x1, 0, .edx, bit: 19)), ("dts", CPUIDField(0x1, 0, .edx, bit: 21)),
        ("acpi", CPUIDField(0x1, 0, .edx, bit: 22)), ("mmx", CPUIDField(0x1, 0, .edx, bit: 23)),
        ("fxsr", CPUIDField(0x1, 0, .edx, bit: 24)), ("sse", CPUIDField(0x1, 0, .edx, bit: 25)),
        ("sse2", CPUIDField(0x1, 0, .edx, bit: 26)), ("ss", CPUIDField(0x1, 0, .edx, bit: 27)),
        ("ht", CPUIDField(0x1, 0, .edx, bit: 28)), ("tm", CPUIDField(0x1, 0, .edx, bit: 29)),
        ("pbe", CPUIDField(0x1, 0, .edx, bit: 31)),
        ("pni", CPUIDField(0x1, 0, .ecx, bit: 0)), ("pclmul", CPUIDField(0x1, 0, .ecx, bit: 1)),
        ("dts64", CPUIDField(0x1, 0, .ecx, bit: 2)), ("monitor", CPUIDField(0x1, 0, .ecx, bit: 3)),
        ("ds_cpl", CPUIDField(0x1, 0, .ecx, bit: 4)), ("vmx", CPUIDField(0x1, 0, .ecx, bit: 5)),
        ("smx", CPUIDField(0x1, 0, .ecx, bit: 6)), ("est", CPUIDField(0x1, 0, .ecx, bit: 7)),
        ("tm2", CPUIDField(0x1, 0, .ecx, bit: 8)), ("ssse3", CPUIDField(0x1, 0, .ecx, bit: 9)),
        ("cid", CPUIDField(0x1, 0, .ecx, bit: 10)), ("fma3", CPUIDField(0x1, 0, .ecx, bit: 12)),
        ("cx16", CPUIDField(0x1, 0, .ecx, bit: 13)), ("xtpr", CPUIDField(0x1, 0, .ecx, bit: 14)),
        ("pdcm", CPUIDField(0x1, 0, .ecx, bit: 15)), ("dca", CPUIDField(0x1, 0, .ecx, bit: 18)),
        ("sse4_1", CPUIDField(0x1, 0, .ecx, bit: 19)), ("sse4_2", CPUIDField(0x1, 0, .ecx, bit: 20)),
        ("x2apic", CPUIDField(0x1, 0, .ecx, bit: 21)), ("movbe", CPUIDField(0x1, 0, .ecx, bit: 22)),
        ("popcnt", CPUIDField(0x1, 0, .ecx, bit: 23)), ("aes", CPUIDField(0x1, 0, .ecx, bit: 25)),
        ("xsave", CPUIDField(0x1, 0, .ecx, bit: 26)), ("osxsave", CPUIDField(0x1, 0, .ecx, bit: 27)),
        ("avx", CPUIDField(0x1, 0, .ecx, bit: 28)), ("f16c", CPUIDField(0x1, 0, .ecx, bit: 29)),
        ("rdrand", CPUIDField(0x1, 0, .ecx, bit: 30)), ("hypervisor", CPUIDField(0x1, 0, .ecx, bit: 31)),
        ("syscall", CPUIDField(0x8000_0001, 0, .edx, bit: 11)), ("mmxext", CPUIDField(0x8000_0001, 0, .edx, bit: 22)),
        ("fxsr_opt", CPUIDField(0x8000_0001, 0, .edx, bit: 25)), ("rdtscp", CPUIDField(0x8000_0001, 0, .edx, bit: 27)),
        ("lm", CPUIDField(0x8000_0001, 0, .edx, bit: 29)), ("3dnowext", CPUIDField(0x8000_0001, 0, .edx, bit: 30)),
        ("3dnow", CPUIDField(0x8000_0001, 0, .edx, bit: 31)),
        ("lahf_lm", CPUIDField(0x8000_0001, 0, .ecx, bit: 0)), ("cmp_legacy", CPUIDField(0x8000_0001, 0, .ecx, bit: 1)),
        ("svm", CPUIDField(0x8000_0001, 0, .ecx, bit: 2)), ("abm", CPUIDField(0x8000_0001, 0, .ecx, bit: 5)),
        ("sse4a", CPUIDField(0x8000_0001, 0, .ecx, bit: 6)), ("misalignsse", CPUIDField(0x8000_0001, 0, .ecx, bit: 7)),
        ("3dnowprefetch", CPUIDField(0x8000_0001, 0, .ecx, bit: 8)), ("osvw", CPUIDField(0x8000_0001, 0, .ecx, bit: 9)),
        ("ibs", CPUIDField(0x8000_0001, 0, .ecx, bit: 10)), ("xop", CPUIDField(0x8000_0001, 0, .ecx, bit: 11)),
        ("skinit", CPUIDField(0x8000_0001, 0, .ecx, bit: 12)), ("wdt", CPUIDField(0x8000_0001, 0, .ecx, bit: 13)),
        ("fma4", CPUIDField(0x8000_0001, 0, .ecx, bit: 16)), ("tbm", CPUIDField(0x8000_0001, 0, .ecx, bit: 21)),
        ("ts", CPUIDField(0x8000_0007, 0, .edx, bit: 0)), ("fid", CPUIDField(0x8000_0007, 0, .edx, bit: 1)),
        ("vid", CPUIDField(0x8000_0007, 0, .edx, bit: 2)), ("ttp", CPUIDField(0x8000_0007, 0, .edx, bit: 3)),
        ("tm_amd", CPUIDField(0x8000_0007, 0, .edx, bit: 4)), ("stc", CPUIDField(0x8000_0007, 0, .edx, bit: 5)),
        ("100mhzsteps", CPUIDField(0x8000_0007, 0, .edx, bit: 6)), ("hwpstate", CPUIDField(0x8000_0007, 0, .edx, bit: 7)),
        ("constant_tsc", CPUIDField(0x8000_0007, 0, .edx, bit: 8)), ("cpb", CPUIDField(0x8000_0007, 0, .edx, bit: 9)),
        ("pfi", CPUIDField(0x8000_0007, 0, .edx, bit: 11)), ("pa", CPUIDField(0x8000_0007, 0, .edx, bit: 12)),
        ("sgx", CPUIDField(0x7, 0, .ebx, bit: 2)), ("bmi1", CPUIDField(0x7, 0, .ebx, bit: 3)),
        ("hle", CPUIDField(0x7, 0, .ebx, bit: 4)), ("avx2", CPUIDField(0x7, 0, .ebx, bit: 5)),
        ("bmi2", CPUIDField(0x7, 0, .ebx, bit: 8)), ("rtm", CPUIDField(0x7, 0, .ebx, bit: 11)),
        ("avx512f", CPUIDField(0x7, 0, .ebx, bit: 16)), ("avx512dq", CPUIDField(0x7, 0, .ebx, bit: 17)),
        ("rdseed", CPUIDField(0x7, 0, .ebx, bit: 18)), ("adx", CPUIDField(0x7, 0, .ebx, bit: 19)),
        ("avx512cd", CPUIDField(0x7, 0, .ebx, bit: 28)), ("sha_ni", CPUIDField(0x7, 0, .ebx, bit: 29)),
        ("avx512bw", CPUIDField(0x7, 0, .ebx, bit: 30)), ("avx512vl", CPUIDField(0x7, 0, .ebx, bit: 31)),
        ("avx512vbmi", CPUIDField(0x7, 0, .ecx, bit: 1)), ("avx512vbmi2", CPUIDField(0x7, 0, .ecx, bit: 6)),
        ("avx512vnni", CPUIDField(0x7, 0, .ecx, bit: 11)),
    ]

    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/libcpuid")
    }

    /// The bit as a reader of this dump sees it: 0 when the leaf lies above its range's maximum.
    static func bit(_ snapshot: Snapshot, _ field: CPUIDField) -> Bool {
        let max = field.leaf >= 0x8000_0000 ? snapshot.maxExtendedLeaf : snapshot.maxBasicLeaf
        return field.leaf <= max && snapshot.isSet(field)
    }

    func testLibcpuidFlagsAgreeWithCPUIDBits() throws {
        let root = Self.corpus
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw XCTSkip("the libcpuid corpus is not at \(root.path) (../shared relative to the repository)")
        }
        let files = try Self.dumpFiles(root)
        XCTAssertGreaterThan(files.count, 400, "expected the 425-dump corpus")
        var disagreements: [String: [String]] = [:]
        var compared = 0
        var explained: [String: Int] = [:]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let flags = Set(text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })?
                .split(separator: " ").map(String.init) ?? [])
            let dump = try DumpReader.read(path: file.path, format: nil)
            let snapshot = dump.first
            for (name, field) in Self.libcpuidNames {
                compared += 1
                let cpuid = Self.bit(snapshot, field)
                if cpuid != flags.contains(name) {
                    if let mistake = Self.libcpuidMistake(name, snapshot: snapshot, libcpuid: flags.contains(name), cpuid: cpuid) {
                        explained[mistake, default: 0] += 1
                        continue
                    }
                    let key = "\(name) libcpuid=\(flags.contains(name) ? 1 : 0) cpuid=\(cpuid ? 1 : 0)"
                    disagreements[key, default: []].append(file.path.replacingOccurrences(of: root.path + "/", with: ""))
                }
            }
        }
        for (key, list) in disagreements.sorted(by: { $0.key < $1.key }) {
            print("DISAGREE \(key) (\(list.count)): \(list.prefix(4).joined(separator: ", "))")
        }
        for (mistake, count) in explained.sorted(by: { $0.key < $1.key }) {
            print("libcpuid mistake (\(count)x): \(mistake)")
        }
        XCTAssertTrue(disagreements.isEmpty, "\(disagreements.count) kinds of unexplained disagreement over \(compared) comparisons")
        XCTAssertFalse(explained.isEmpty, "the corpus is known to contain libcpuid's vendor-gated omissions")
    }

    /// Bits libcpuid decodes only for GenuineIntel (its Intel feature table), although other vendors set them.
    static let libcpuidIntelOnly: Set<String> = [
        "pn", "dts", "acpi", "ss", "tm", "pbe", "dts64", "ds_cpl", "vmx", "smx", "est", "tm2", "cid", "xtpr", "pdcm", "dca",
    ]

    /// Bits of 0x80000001 libcpuid decodes only for AMD/Hygon, although Intel, VIA and Zhaoxin set some of them.
    static let libcpuidAMDOnly: Set<String> = [
        "mmxext", "fxsr_opt", "3dnow", "3dnowext", "3dnowprefetch", "cmp_legacy", "svm", "sse4a", "misalignsse",
        "osvw", "ibs", "xop", "skinit", "wdt", "fma4", "tbm",
    ]

    /// Names the class of libcpuid's mistake when a disagreement is one; nil for a real disagreement.
    /// Every class is one-sided: the CPUID bit is set and libcpuid leaves the flag out.
    static func libcpuidMistake(_ name: String, snapshot: Snapshot, libcpuid: Bool, cpuid: Bool) -> String? {
        guard cpuid, !libcpuid else { return nil }
        let vendor = snapshot.vendor
        if libcpuidIntelOnly.contains(name), vendor != "GenuineIntel" {
            return "\(name): bit set on a \(vendor) CPU, but libcpuid decodes it for Intel only"
        }
        if libcpuidAMDOnly.contains(name), vendor != "AuthenticAMD", vendor != "HygonGenuine" {
            return "\(name): bit set on a \(vendor) CPU, but libcpuid decodes it for AMD only"
        }
        if name == "ht", snapshot.read(CPUIDField(1, 0, .ebx, bits: 23, 16)) <= 1 {
            return "ht: CPUID.01H:EDX[28] set, but libcpuid drops it when CPUID.01H:EBX[23:16] counts one logical CPU"
        }
        return nil
    }

    static func dumpFiles(_ root: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in walker where url.pathExtension == "test" && !url.path.contains("/arm/") {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
