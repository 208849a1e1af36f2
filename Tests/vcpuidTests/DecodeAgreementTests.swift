import CPUID
import Foundation
import XCTest

/// `vcpuid decode` against Todd Allen's decoder (Debian's `cpuid -f FILE`) over the libcpuid corpus:
/// every single-bit field that both programs decode must read the same, on every CPU.
///
/// How it stays fast: the first logical CPU of each of the corpus's dumps is written into ONE `cpuid -r`
/// file (formats' `DumpWriter`), which both programs then decode in one process each (`cpuid -f` takes
/// many `CPU n:` blocks; `vcpuid decode --all-cpus --json`). That is about 425 CPUs in a few seconds.
final class DecodeAgreementTests: XCTestCase {
    func testDecodeAgreesWithCpuidOnTheCorpus() throws {
        let corpus = Self.repositoryRoot.appendingPathComponent("../shared/corpus/libcpuid").standardizedFileURL
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            throw XCTSkip("the libcpuid corpus is not at \(corpus.path) (it ships only with the development tree)")
        }
        guard let cpuid = Self.findProgram("cpuid") else {
            throw XCTSkip("Debian's cpuid program is not installed (apt-get install cpuid)")
        }

        // 1. One cpuid -r file holding CPU 0 of every dump.
        var cpus: [LogicalCPU] = []
        var sources: [String] = []
        let files = try Self.corpusFiles(corpus)
        for file in files {
            let dump = try DumpReader.read(path: file.path)
            guard let first = dump.cpus.first else { continue }
            cpus.append(LogicalCPU(number: cpus.count, snapshot: first.snapshot))
            sources.append(file.path.replacingOccurrences(of: corpus.path + "/", with: ""))
        }
        XCTAssertGreaterThan(cpus.count, 400, "the corpus should yield a CPU per dump")
        let raw = try DumpWriter.render(Dump(cpus: cpus, origin: .model("libcpuid corpus")), as: .cpuidRaw)
        let rawFile = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-decode-agreement-\(getpid()).raw")
        try raw.write(to: rawFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: rawFile) }

        // 2. Both decoders, one process each.
        let todd = try Self.runProgram(cpuid, ["-f", rawFile.path])
        let toddCPUs = ToddOutput.parse(todd)
        XCTAssertEqual(toddCPUs.count, cpus.count, "cpuid -f printed a different number of CPUs")
        let ours = try CLI.run(["decode", rawFile.path, "--all-cpus", "--json"])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let decoded = try Self.fieldsByCPU(json: ours.stdout)
        XCTAssertEqual(decoded.count, cpus.count)

        // 3. Every row of the mapping, on every CPU where both sides decode it.
        var compared = 0
        var disagreements: [String] = []
        var misplaced = Set<String>()
        var unmatched = Set<String>()
        for (index, cpu) in cpus.enumerated() where index < toddCPUs.count && index < decoded.count {
            let vendor = DecoderVendorKind(cpu.snapshot)
            let groups = Set(decoded[index].keys.map { LeafKey($0.leaf, $0.subleaf) })
            for row in Self.mapping where row.vendor.applies(to: vendor) {
                for (toddKey, subleaf, name) in row.instances(in: toddCPUs[index]) {
                    guard let theirs = toddCPUs[index][toddKey] else { continue }
                    guard let mine = decoded[index][FieldKey(leaf: row.leaf, subleaf: subleaf, name: name)] else {
                        // vcpuid decoded this answer but has no field of that name: the row went stale.
                        if groups.contains(LeafKey(row.leaf, subleaf)) {
                            unmatched.insert("\(toddKey.section) “\(toddKey.description)” → \(name)")
                        }
                        continue
                    }
                    compared += 1
                    if mine.register != "\(row.register)".lowercased() || mine.low != row.bit {
                        misplaced.insert("\(name): mapped to \(row.register)[\(row.bit)], vcpuid has \(mine.register)[\(mine.low)]")
                    }
                    if theirs != (mine.value != 0) {
                        disagreements.append("\(sources[index]): \(toddKey.section) “\(toddKey.description)” = \(theirs), "
                                             + "vcpuid \(Hex.word(row.leaf)).\(subleaf) \(name) = \(mine.value)")
                    }
                }
            }
        }
        XCTAssertEqual(misplaced, [], "mapping rows that point at another bit than vcpuid decodes")
        XCTAssertEqual(unmatched, [], "mapping rows naming a field vcpuid does not print for an answer it decodes")
        XCTAssertGreaterThan(compared, 80_000, "too few fields compared: the mapping or a parser is broken")
        let unexplained = disagreements.filter { line in !Self.knownDisagreements.contains { line.contains($0.match) } }
        XCTAssertEqual(unexplained, [], "\(unexplained.count) of \(compared) comparisons disagree")
    }

    /// Disagreements in value that were examined; each says who is right and why. Over the corpus there
    /// are none. Differences in what the programs *call* a bit, with the same value, are noted here:
    /// - Leaf 4 EDX[0]: cpuid prints "WBINVD/INVD acts on lower caches = true" when the bit is set, but the
    ///   SDM (CPUID leaf 04H) defines 1 as "WBINVD/INVD is not guaranteed to act upon lower level caches of
    ///   non-originating threads sharing this cache"; cpuid's label reads the bit backwards. vcpuid:
    ///   `wbinvd_no_lower_guarantee`.
    /// - Leaf 0xD.1 EAX[2]: cpuid says "XGETBV instruction"; the bit enumerates XGETBV with ECX = 1 (`xgetbv1`).
    /// - cpuid decodes AMD-defined bits of 0x80000001, 0x80000007, 0x80000008 and 0x8000000A on Intel CPUs
    ///   too, where Intel reserves them; vcpuid names them only for AMD and Hygon (rows marked `.amd`).
    static let knownDisagreements: [(match: String, reason: String)] = [
    ]

    // MARK: - The mapping: Todd Allen's description ↔ vcpuid's field

    /// One line of `cpuid -f` output mapped to one vcpuid field. `section` is the parenthesized part of
    /// cpuid's section header (`feature information (1/edx):` → `1/edx`), with `#n` for its numbered
    /// sub-blocks (`--- cache n ---`); a subleaf of `nil` means "each subleaf": leaf 4 and 0x8000001D
    /// cache n is subleaf n, and cpuid's section `0xd/N` is XSAVE component subleaf N, whose vcpuid
    /// name is the component's name in place of `*`. Vendor `.intel`/`.amd` rows are where the two
    /// programs only agree to decode a bit for that vendor (cpuid decodes AMD-only bits on Intel too).
    /// Rows were found by giving `cpuid -f` dumps with one bit set at a time, then checked by hand.
    typealias Row = MappingRow

    static let mapping: [MappingRow] = [
        Row(0x1,             0,    .ecx,  0, .any,   "1/ecx",               "PNI/SSE3: Prescott New Instructions",       "pni"),
        Row(0x1,             0,    .ecx,  1, .any,   "1/ecx",               "PCLMULDQ instruction",                      "pclmulqdq"),
        Row(0x1,             0,    .ecx,  2, .any,   "1/ecx",               "DTES64: 64-bit debug store",                "dtes64"),
        Row(0x1,             0,    .ecx,  3, .any,   "1/ecx",               "MONITOR/MWAIT",                             "monitor"),
        Row(0x1,             0,    .ecx,  4, .any,   "1/ecx",               "CPL-qualified debug store",                 "ds_cpl"),
        Row(0x1,             0,    .ecx,  5, .any,   "1/ecx",               "VMX: virtual machine extensions",           "vmx"),
        Row(0x1,             0,    .ecx,  6, .any,   "1/ecx",               "SMX: safer mode extensions",                "smx"),
        Row(0x1,             0,    .ecx,  7, .any,   "1/ecx",               "Enhanced Intel SpeedStep Technology",       "est"),
        Row(0x1,             0,    .ecx,  8, .any,   "1/ecx",               "TM2: thermal monitor 2",                    "tm2"),
        Row(0x1,             0,    .ecx,  9, .any,   "1/ecx",               "SSSE3 extensions",                          "ssse3"),
        Row(0x1,             0,    .ecx, 10, .any,   "1/ecx",               "context ID: adaptive or shared L1 data",    "cid"),
        Row(0x1,             0,    .ecx, 11, .any,   "1/ecx",               "SDBG: IA32_DEBUG_INTERFACE",                "sdbg"),
        Row(0x1,             0,    .ecx, 12, .any,   "1/ecx",               "FMA instruction",                           "fma"),
        Row(0x1,             0,    .ecx, 13, .any,   "1/ecx",               "CMPXCHG16B instruction",                    "cx16"),
        Row(0x1,             0,    .ecx, 14, .any,   "1/ecx",               "xTPR disable",                              "xtpr"),
        Row(0x1,             0,    .ecx, 15, .any,   "1/ecx",               "PDCM: perfmon and debug",                   "pdcm"),
        Row(0x1,             0,    .ecx, 17, .any,   "1/ecx",               "PCID: process context identifiers",         "pcid"),
        Row(0x1,             0,    .ecx, 18, .any,   "1/ecx",               "DCA: direct cache access",                  "dca"),
        Row(0x1,             0,    .ecx, 19, .any,   "1/ecx",               "SSE4.1 extensions",                         "sse4_1"),
        Row(0x1,             0,    .ecx, 20, .any,   "1/ecx",               "SSE4.2 extensions",                         "sse4_2"),
        Row(0x1,             0,    .ecx, 21, .any,   "1/ecx",               "x2APIC: extended xAPIC support",            "x2apic"),
        Row(0x1,             0,    .ecx, 22, .any,   "1/ecx",               "MOVBE instruction",                         "movbe"),
        Row(0x1,             0,    .ecx, 23, .any,   "1/ecx",               "POPCNT instruction",                        "popcnt"),
        Row(0x1,             0,    .ecx, 24, .any,   "1/ecx",               "time stamp counter deadline",               "tsc_deadline_timer"),
        Row(0x1,             0,    .ecx, 25, .any,   "1/ecx",               "AES instruction",                           "aes"),
        Row(0x1,             0,    .ecx, 26, .any,   "1/ecx",               "XSAVE/XSTOR states",                        "xsave"),
        Row(0x1,             0,    .ecx, 27, .any,   "1/ecx",               "OS-enabled XSAVE/XSTOR",                    "osxsave"),
        Row(0x1,             0,    .ecx, 28, .any,   "1/ecx",               "AVX: advanced vector extensions",           "avx"),
        Row(0x1,             0,    .ecx, 29, .any,   "1/ecx",               "F16C half-precision convert instruction",   "f16c"),
        Row(0x1,             0,    .ecx, 30, .any,   "1/ecx",               "RDRAND instruction",                        "rdrand"),
        Row(0x1,             0,    .ecx, 31, .any,   "1/ecx",               "hypervisor guest status",                   "hypervisor"),
        Row(0x1,             0,    .edx,  0, .any,   "1/edx",               "x87 FPU on chip",                           "fpu"),
        Row(0x1,             0,    .edx,  1, .any,   "1/edx",               "VME: virtual-8086 mode enhancement",        "vme"),
        Row(0x1,             0,    .edx,  2, .any,   "1/edx",               "DE: debugging extensions",                  "de"),
        Row(0x1,             0,    .edx,  3, .any,   "1/edx",               "PSE: page size extensions",                 "pse"),
        Row(0x1,             0,    .edx,  4, .any,   "1/edx",               "TSC: time stamp counter",                   "tsc"),
        Row(0x1,             0,    .edx,  5, .any,   "1/edx",               "RDMSR and WRMSR support",                   "msr"),
        Row(0x1,             0,    .edx,  6, .any,   "1/edx",               "PAE: physical address extensions",          "pae"),
        Row(0x1,             0,    .edx,  7, .any,   "1/edx",               "MCE: machine check exception",              "mce"),
        Row(0x1,             0,    .edx,  8, .any,   "1/edx",               "CMPXCHG8B inst.",                           "cx8"),
        Row(0x1,             0,    .edx,  9, .any,   "1/edx",               "APIC on chip",                              "apic"),
        Row(0x1,             0,    .edx, 11, .any,   "1/edx",               "SYSENTER and SYSEXIT",                      "sep"),
        Row(0x1,             0,    .edx, 12, .any,   "1/edx",               "MTRR: memory type range registers",         "mtrr"),
        Row(0x1,             0,    .edx, 13, .any,   "1/edx",               "PTE global bit",                            "pge"),
        Row(0x1,             0,    .edx, 14, .any,   "1/edx",               "MCA: machine check architecture",           "mca"),
        Row(0x1,             0,    .edx, 15, .any,   "1/edx",               "CMOV: conditional move/compare instr",      "cmov"),
        Row(0x1,             0,    .edx, 16, .any,   "1/edx",               "PAT: page attribute table",                 "pat"),
        Row(0x1,             0,    .edx, 17, .any,   "1/edx",               "PSE-36: page size extension",               "pse36"),
        Row(0x1,             0,    .edx, 18, .any,   "1/edx",               "PSN: processor serial number",              "pn"),
        Row(0x1,             0,    .edx, 19, .any,   "1/edx",               "CLFLUSH instruction",                       "clflush"),
        Row(0x1,             0,    .edx, 21, .any,   "1/edx",               "DS: debug store",                           "dts"),
        Row(0x1,             0,    .edx, 22, .any,   "1/edx",               "ACPI: thermal monitor and clock ctrl",      "acpi"),
        Row(0x1,             0,    .edx, 23, .any,   "1/edx",               "MMX Technology",                            "mmx"),
        Row(0x1,             0,    .edx, 24, .any,   "1/edx",               "FXSAVE/FXRSTOR",                            "fxsr"),
        Row(0x1,             0,    .edx, 25, .any,   "1/edx",               "SSE extensions",                            "sse"),
        Row(0x1,             0,    .edx, 26, .any,   "1/edx",               "SSE2 extensions",                           "sse2"),
        Row(0x1,             0,    .edx, 27, .any,   "1/edx",               "SS: self snoop",                            "ss"),
        Row(0x1,             0,    .edx, 28, .any,   "1/edx",               "hyper-threading / multi-core supported",    "ht"),
        Row(0x1,             0,    .edx, 29, .any,   "1/edx",               "TM: therm. monitor",                        "tm"),
        Row(0x1,             0,    .edx, 30, .any,   "1/edx",               "IA64",                                      "ia64"),
        Row(0x1,             0,    .edx, 31, .any,   "1/edx",               "PBE: pending break event",                  "pbe"),
        Row(0x4,             nil,  .eax,  8, .any,   "4#*",                 "self-initializing cache level",             "self_initializing"),
        Row(0x4,             nil,  .eax,  9, .any,   "4#*",                 "fully associative cache",                   "fully_associative"),
        Row(0x4,             nil,  .edx,  0, .any,   "4#*",                 "WBINVD/INVD acts on lower caches",          "wbinvd_no_lower_guarantee"),
        Row(0x4,             nil,  .edx,  1, .any,   "4#*",                 "inclusive to lower caches",                 "inclusive"),
        Row(0x4,             nil,  .edx,  2, .any,   "4#*",                 "complex cache indexing",                    "complex_indexing"),
        Row(0x5,             0,    .ecx,  0, .any,   "5",                   "enum of Monitor-MWAIT exts supported",      "mwait_extensions"),
        Row(0x5,             0,    .ecx,  1, .any,   "5",                   "supports intrs as break-event for MWAIT",   "mwait_interrupt_break"),
        Row(0x6,             0,    .eax,  0, .any,   "6",                   "digital thermometer",                       "dtherm"),
        Row(0x6,             0,    .eax,  1, .any,   "6",                   "Intel Turbo Boost Technology",              "ida"),
        Row(0x6,             0,    .eax,  2, .any,   "6",                   "ARAT always running APIC timer",            "arat"),
        Row(0x6,             0,    .eax,  4, .any,   "6",                   "PLN power limit notification",              "pln"),
        Row(0x6,             0,    .eax,  5, .any,   "6",                   "ECMD extended clock modulation duty",       "ecmd"),
        Row(0x6,             0,    .eax,  6, .any,   "6",                   "PTM package thermal management",            "pts"),
        Row(0x6,             0,    .eax,  7, .any,   "6",                   "HWP base registers",                        "hwp"),
        Row(0x6,             0,    .eax,  8, .any,   "6",                   "HWP notification",                          "hwp_notify"),
        Row(0x6,             0,    .eax,  9, .any,   "6",                   "HWP activity window",                       "hwp_act_window"),
        Row(0x6,             0,    .eax, 10, .any,   "6",                   "HWP energy performance preference",         "hwp_epp"),
        Row(0x6,             0,    .eax, 11, .any,   "6",                   "HWP package level request",                 "hwp_pkg_req"),
        Row(0x6,             0,    .eax, 13, .any,   "6",                   "HDC base registers",                        "hdc"),
        Row(0x6,             0,    .eax, 14, .any,   "6",                   "Intel Turbo Boost Max Technology 3.0",      "turbo_boost_max_3"),
        Row(0x6,             0,    .eax, 15, .any,   "6",                   "HWP capabilities",                          "hwp_highest_perf_change"),
        Row(0x6,             0,    .eax, 16, .any,   "6",                   "HWP PECI override",                         "hwp_peci_override"),
        Row(0x6,             0,    .eax, 17, .any,   "6",                   "flexible HWP",                              "hwp_flexible"),
        Row(0x6,             0,    .eax, 18, .any,   "6",                   "IA32_HWP_REQUEST MSR fast access mode",     "hwp_fast_request"),
        Row(0x6,             0,    .eax, 19, .any,   "6",                   "HW_FEEDBACK MSRs supported",                "hfi"),
        Row(0x6,             0,    .eax, 20, .any,   "6",                   "ignoring idle logical processor HWP req",   "hwp_ignore_idle"),
        Row(0x6,             0,    .eax, 23, .any,   "6",                   "Thread Director",                           "thread_director"),
        Row(0x6,             0,    .eax, 24, .any,   "6",                   "IA32_HW_FEEDBACK_THREAD_CONFIG bit 25",     "therm_interrupt_bit25"),
        Row(0x6,             0,    .ecx,  0, .any,   "6",                   "hardware coordination feedback",            "aperfmperf"),
        Row(0x6,             0,    .ecx,  1, .any,   "6",                   "ACNT2 available",                           "acnt2"),
        Row(0x6,             0,    .ecx,  3, .any,   "6",                   "performance-energy bias capability",        "epb"),
        Row(0x6,             0,    .edx,  0, .any,   "6",                   "performance capability reporting",          "perf_capability_reporting"),
        Row(0x6,             0,    .edx,  1, .any,   "6",                   "energy efficiency capability reporting",    "efficiency_capability_reporting"),
        Row(0x7,             0,    .ebx,  0, .any,   "7",                   "FSGSBASE instructions",                     "fsgsbase"),
        Row(0x7,             0,    .ebx,  1, .any,   "7",                   "IA32_TSC_ADJUST MSR supported",             "tsc_adjust"),
        Row(0x7,             0,    .ebx,  2, .any,   "7",                   "SGX: Software Guard Extensions supported",  "sgx"),
        Row(0x7,             0,    .ebx,  3, .any,   "7",                   "BMI1 instructions",                         "bmi1"),
        Row(0x7,             0,    .ebx,  4, .any,   "7",                   "HLE hardware lock elision",                 "hle"),
        Row(0x7,             0,    .ebx,  5, .any,   "7",                   "AVX2: advanced vector extensions 2",        "avx2"),
        Row(0x7,             0,    .ebx,  6, .any,   "7",                   "FDP_EXCPTN_ONLY",                           "fdp_excptn_only"),
        Row(0x7,             0,    .ebx,  7, .any,   "7",                   "SMEP supervisor mode exec protection",      "smep"),
        Row(0x7,             0,    .ebx,  8, .any,   "7",                   "BMI2 instructions",                         "bmi2"),
        Row(0x7,             0,    .ebx,  9, .any,   "7",                   "enhanced REP MOVSB/STOSB",                  "erms"),
        Row(0x7,             0,    .ebx, 10, .any,   "7",                   "INVPCID instruction",                       "invpcid"),
        Row(0x7,             0,    .ebx, 11, .any,   "7",                   "RTM: restricted transactional memory",      "rtm"),
        Row(0x7,             0,    .ebx, 12, .any,   "7",                   "RDT-CMT/PQoS cache monitoring",             "cqm"),
        Row(0x7,             0,    .ebx, 13, .any,   "7",                   "deprecated FPU CS/DS",                      "zero_fcs_fds"),
        Row(0x7,             0,    .ebx, 14, .any,   "7",                   "MPX: intel memory protection extensions",   "mpx"),
        Row(0x7,             0,    .ebx, 15, .any,   "7",                   "RDT-CAT/PQE cache allocation",              "rdt_a"),
        Row(0x7,             0,    .ebx, 16, .any,   "7",                   "AVX512F: AVX-512 foundation instructions",  "avx512f"),
        Row(0x7,             0,    .ebx, 17, .any,   "7",                   "AVX512DQ: double & quadword instructions",  "avx512dq"),
        Row(0x7,             0,    .ebx, 18, .any,   "7",                   "RDSEED instruction",                        "rdseed"),
        Row(0x7,             0,    .ebx, 19, .any,   "7",                   "ADX instructions",                          "adx"),
        Row(0x7,             0,    .ebx, 20, .any,   "7",                   "SMAP: supervisor mode access prevention",   "smap"),
        Row(0x7,             0,    .ebx, 21, .any,   "7",                   "AVX512IFMA: integer fused multiply add",    "avx512ifma"),
        Row(0x7,             0,    .ebx, 22, .any,   "7",                   "PCOMMIT instruction",                       "pcommit"),
        Row(0x7,             0,    .ebx, 23, .any,   "7",                   "CLFLUSHOPT instruction",                    "clflushopt"),
        Row(0x7,             0,    .ebx, 24, .any,   "7",                   "CLWB instruction",                          "clwb"),
        Row(0x7,             0,    .ebx, 25, .any,   "7",                   "Intel processor trace",                     "intel_pt"),
        Row(0x7,             0,    .ebx, 26, .any,   "7",                   "AVX512PF: prefetch instructions",           "avx512pf"),
        Row(0x7,             0,    .ebx, 27, .any,   "7",                   "AVX512ER: exponent & reciprocal instrs",    "avx512er"),
        Row(0x7,             0,    .ebx, 28, .any,   "7",                   "AVX512CD: conflict detection instrs",       "avx512cd"),
        Row(0x7,             0,    .ebx, 29, .any,   "7",                   "SHA instructions",                          "sha_ni"),
        Row(0x7,             0,    .ebx, 30, .any,   "7",                   "AVX512BW: byte & word instructions",        "avx512bw"),
        Row(0x7,             0,    .ebx, 31, .any,   "7",                   "AVX512VL: vector length",                   "avx512vl"),
        Row(0x7,             0,    .ecx,  0, .any,   "7",                   "PREFETCHWT1",                               "prefetchwt1"),
        Row(0x7,             0,    .ecx,  1, .any,   "7",                   "AVX512VBMI: vector byte manipulation",      "avx512vbmi"),
        Row(0x7,             0,    .ecx,  2, .any,   "7",                   "UMIP: user-mode instruction prevention",    "umip"),
        Row(0x7,             0,    .ecx,  3, .any,   "7",                   "PKU protection keys for user-mode",         "pku"),
        Row(0x7,             0,    .ecx,  4, .any,   "7",                   "OSPKE CR4.PKE and RDPKRU/WRPKRU",           "ospke"),
        Row(0x7,             0,    .ecx,  5, .any,   "7",                   "WAITPKG instructions",                      "waitpkg"),
        Row(0x7,             0,    .ecx,  6, .any,   "7",                   "AVX512_VBMI2: byte VPCOMPRESS, VPEXPAND",   "avx512_vbmi2"),
        Row(0x7,             0,    .ecx,  7, .any,   "7",                   "CET_SS: CET shadow stack",                  "shstk"),
        Row(0x7,             0,    .ecx,  8, .any,   "7",                   "GFNI: Galois Field New Instructions",       "gfni"),
        Row(0x7,             0,    .ecx,  9, .any,   "7",                   "VAES instructions",                         "vaes"),
        Row(0x7,             0,    .ecx, 10, .any,   "7",                   "VPCLMULQDQ instruction",                    "vpclmulqdq"),
        Row(0x7,             0,    .ecx, 11, .any,   "7",                   "AVX512_VNNI: neural network instructions",  "avx512_vnni"),
        Row(0x7,             0,    .ecx, 12, .any,   "7",                   "AVX512_BITALG: bit count/shiffle",          "avx512_bitalg"),
        Row(0x7,             0,    .ecx, 13, .any,   "7",                   "TME: Total Memory Encryption",              "tme"),
        Row(0x7,             0,    .ecx, 14, .any,   "7",                   "AVX512: VPOPCNTDQ instruction",             "avx512_vpopcntdq"),
        Row(0x7,             0,    .ecx, 16, .any,   "7",                   "LA57: 57-bit addrs & 5-level paging",       "la57"),
        Row(0x7,             0,    .ecx, 22, .any,   "7",                   "RDPID: read processor ID supported",        "rdpid"),
        Row(0x7,             0,    .ecx, 23, .any,   "7",                   "KL: key locker",                            "key_locker"),
        Row(0x7,             0,    .ecx, 24, .any,   "7",                   "bus lock detection",                        "bus_lock_detect"),
        Row(0x7,             0,    .ecx, 25, .any,   "7",                   "CLDEMOTE supports cache line demote",       "cldemote"),
        Row(0x7,             0,    .ecx, 27, .any,   "7",                   "MOVDIRI instruction",                       "movdiri"),
        Row(0x7,             0,    .ecx, 28, .any,   "7",                   "MOVDIR64B instruction",                     "movdir64b"),
        Row(0x7,             0,    .ecx, 29, .any,   "7",                   "ENQCMD instruction",                        "enqcmd"),
        Row(0x7,             0,    .ecx, 30, .any,   "7",                   "SGX_LC: SGX launch config supported",       "sgx_lc"),
        Row(0x7,             0,    .ecx, 31, .any,   "7",                   "PKS: supervisor protection keys",           "pks"),
        Row(0x7,             0,    .edx,  1, .any,   "7",                   "SGX-KEYS: SGX attestation services",        "sgx_keys"),
        Row(0x7,             0,    .edx,  2, .any,   "7",                   "AVX512_4VNNIW: neural network instrs",      "avx512_4vnniw"),
        Row(0x7,             0,    .edx,  3, .any,   "7",                   "AVX512_4FMAPS: multiply acc single prec",   "avx512_4fmaps"),
        Row(0x7,             0,    .edx,  4, .any,   "7",                   "fast short REP MOV",                        "fsrm"),
        Row(0x7,             0,    .edx,  5, .any,   "7",                   "UINTR: user interrupts",                    "uintr"),
        Row(0x7,             0,    .edx,  8, .any,   "7",                   "AVX512_VP2INTERSECT: intersect mask regs",  "avx512_vp2intersect"),
        Row(0x7,             0,    .edx,  9, .any,   "7",                   "IA32_MCU_OPT_CTRL SRBDS mitigation MSR",    "srbds_ctrl"),
        Row(0x7,             0,    .edx, 10, .any,   "7",                   "VERW MD_CLEAR microcode support",           "md_clear"),
        Row(0x7,             0,    .edx, 11, .any,   "7",                   "RTM transaction always aborts",             "rtm_always_abort"),
        Row(0x7,             0,    .edx, 13, .any,   "7",                   "IA32_TSX_FORCE_ABORT MSR",                  "tsx_force_abort"),
        Row(0x7,             0,    .edx, 14, .any,   "7",                   "SERIALIZE instruction",                     "serialize"),
        Row(0x7,             0,    .edx, 15, .any,   "7",                   "hybrid part",                               "hybrid_cpu"),
        Row(0x7,             0,    .edx, 16, .any,   "7",                   "TSXLDTRK: TSX suspend load addr tracking",  "tsxldtrk"),
        Row(0x7,             0,    .edx, 18, .any,   "7",                   "PCONFIG instruction",                       "pconfig"),
        Row(0x7,             0,    .edx, 19, .any,   "7",                   "LBR: architectural last branch records",    "arch_lbr"),
        Row(0x7,             0,    .edx, 20, .any,   "7",                   "CET_IBT: CET indirect branch tracking",     "ibt"),
        Row(0x7,             0,    .edx, 22, .any,   "7",                   "AMX-BF16: tile bfloat16 support",           "amx_bf16"),
        Row(0x7,             0,    .edx, 23, .any,   "7",                   "AVX512_FP16: fp16 support",                 "avx512_fp16"),
        Row(0x7,             0,    .edx, 24, .any,   "7",                   "AMX-TILE: tile architecture support",       "amx_tile"),
        Row(0x7,             0,    .edx, 25, .any,   "7",                   "AMX-INT8: tile 8-bit integer support",      "amx_int8"),
        Row(0x7,             0,    .edx, 26, .any,   "7",                   "IBRS/IBPB: indirect branch restrictions",   "spec_ctrl"),
        Row(0x7,             0,    .edx, 27, .any,   "7",                   "STIBP: 1 thr indirect branch predictor",    "intel_stibp"),
        Row(0x7,             0,    .edx, 28, .any,   "7",                   "L1D_FLUSH: IA32_FLUSH_CMD MSR",             "flush_l1d"),
        Row(0x7,             0,    .edx, 29, .any,   "7",                   "IA32_ARCH_CAPABILITIES MSR",                "arch_capabilities"),
        Row(0x7,             0,    .edx, 30, .any,   "7",                   "IA32_CORE_CAPABILITIES MSR",                "core_capabilities"),
        Row(0x7,             0,    .edx, 31, .any,   "7",                   "SSBD: speculative store bypass disable",    "spec_ctrl_ssbd"),
        Row(0x7,             1,    .eax,  3, .any,   "7",                   "RAO-INT atomic instructions",               "rao_int"),
        Row(0x7,             1,    .eax,  4, .any,   "7",                   "AVX-VNNI: AVX VNNI neural network instrs",  "avx_vnni"),
        Row(0x7,             1,    .eax,  5, .any,   "7",                   "AVX512_BF16: bfloat16 instructions",        "avx512_bf16"),
        Row(0x7,             1,    .eax,  6, .any,   "7",                   "LASS: linear address space separation",     "lass"),
        Row(0x7,             1,    .eax,  7, .any,   "7",                   "CMPccXADD instructions",                    "cmpccxadd"),
        Row(0x7,             1,    .eax,  8, .any,   "7",                   "ArchPerfmonExt is valid",                   "arch_perfmon_ext"),
        Row(0x7,             1,    .eax, 10, .any,   "7",                   "fast zero-length MOVSB",                    "fzrm"),
        Row(0x7,             1,    .eax, 11, .any,   "7",                   "fast short STOSB",                          "fsrs"),
        Row(0x7,             1,    .eax, 12, .any,   "7",                   "fast short CMPSB, SCASB",                   "fsrc"),
        Row(0x7,             1,    .eax, 19, .any,   "7",                   "WRMSRNS instruction",                       "wrmsrns"),
        Row(0x7,             1,    .eax, 21, .any,   "7",                   "AMX-FP16: FP16 tile operations",            "amx_fp16"),
        Row(0x7,             1,    .eax, 22, .any,   "7",                   "HRESET: history reset support",             "hreset"),
        Row(0x7,             1,    .eax, 23, .any,   "7",                   "AVX-IFMA: integer fused multiply add",      "avx_ifma"),
        Row(0x7,             1,    .eax, 26, .any,   "7",                   "LAM: linear address masking",               "lam"),
        Row(0x7,             1,    .eax, 27, .any,   "7",                   "RDMSRLIST, WRMSRLIST instructions",         "msrlist"),
        Row(0x7,             1,    .ebx,  0, .any,   "7",                   "IA32_PPIN & IA32_PPIN_CTL MSRs supported",  "intel_ppin"),
        Row(0x7,             1,    .edx,  4, .any,   "7",                   "AVX-VNNI-INT8 instructions",                "avx_vnni_int8"),
        Row(0x7,             1,    .edx,  5, .any,   "7",                   "AVX-NE-CONVERT instructions",               "avx_ne_convert"),
        Row(0x7,             1,    .edx, 14, .any,   "7",                   "PREFETCHIT0, PREFETCHIT1 instructions",     "prefetchi"),
        Row(0x7,             1,    .edx, 18, .any,   "7",                   "CET_SSS: shadow stacks w/o page faults",    "cet_sss"),
        Row(0x7,             2,    .edx,  0, .any,   "7",                   "PSFD: fast store forwarding pred disable",  "psfd"),
        Row(0x7,             2,    .edx,  1, .any,   "7",                   "IPRED_CTRL: IBP disable",                   "ipred_ctrl"),
        Row(0x7,             2,    .edx,  2, .any,   "7",                   "RRSBA_CTRL: IBP bottomless RSB disable",    "rrsba_ctrl"),
        Row(0x7,             2,    .edx,  3, .any,   "7",                   "DDPD_U: data dep prefetcher disable",       "ddpd_u"),
        Row(0x7,             2,    .edx,  4, .any,   "7",                   "BHI_CTRL: IBP BHB-focused disable",         "bhi_ctrl"),
        Row(0x7,             2,    .edx,  5, .any,   "7",                   "MCDT_NO: MCDT mitigation not needed",       "mcdt_no"),
        Row(0xa,             0,    .edx, 15, .any,   "0xa",                 "anythread deprecation",                     "anythread_deprecated"),
        Row(0xd,             nil,  .ecx,  1, .any,   "0xd/*",               "64-byte alignment in compacted XSAVE",      "*_aligned_64"),
        Row(0xd,             nil,  .ecx,  2, .any,   "0xd/*",               "XFD faulting supported",                    "*_xfd_faulting"),
        Row(0xd,             0,    .eax,  0, .any,   "0xd/0",               "x87 state",                                 "xcr0_x87"),
        Row(0xd,             0,    .eax,  1, .any,   "0xd/0",               "SSE state",                                 "xcr0_sse"),
        Row(0xd,             0,    .eax,  2, .any,   "0xd/0",               "AVX state",                                 "xcr0_avx"),
        Row(0xd,             0,    .eax,  3, .any,   "0xd/0",               "MPX BNDREGS",                               "xcr0_bndregs"),
        Row(0xd,             0,    .eax,  4, .any,   "0xd/0",               "MPX BNDCSR",                                "xcr0_bndcsr"),
        Row(0xd,             0,    .eax,  5, .any,   "0xd/0",               "AVX-512 opmask",                            "xcr0_opmask"),
        Row(0xd,             0,    .eax,  6, .any,   "0xd/0",               "AVX-512 ZMM_Hi256",                         "xcr0_zmm_hi256"),
        Row(0xd,             0,    .eax,  7, .any,   "0xd/0",               "AVX-512 Hi16_ZMM",                          "xcr0_hi16_zmm"),
        Row(0xd,             0,    .eax,  9, .any,   "0xd/0",               "PKRU state",                                "xcr0_pkru"),
        Row(0xd,             0,    .eax, 17, .any,   "0xd/0",               "XTILECFG state",                            "xcr0_xtilecfg"),
        Row(0xd,             0,    .eax, 18, .any,   "0xd/0",               "XTILEDATA state",                           "xcr0_xtiledata"),
        Row(0xd,             1,    .eax,  0, .any,   "0xd/0",               "XSAVEOPT instruction",                      "xsaveopt"),
        Row(0xd,             1,    .eax,  1, .any,   "0xd/0",               "XSAVEC instruction",                        "xsavec"),
        Row(0xd,             1,    .eax,  2, .any,   "0xd/0",               "XGETBV instruction",                        "xgetbv1"),
        Row(0xd,             1,    .eax,  3, .any,   "0xd/0",               "XSAVES/XRSTORS instructions",               "xsaves"),
        Row(0xd,             1,    .eax,  4, .any,   "0xd/0",               "XFD: extended feature disable supported",   "xfd"),
        Row(0xd,             1,    .ecx,  8, .any,   "0xd/0",               "PT state",                                  "xss_pt"),
        Row(0xd,             1,    .ecx, 10, .any,   "0xd/0",               "PASID state",                               "xss_pasid"),
        Row(0xd,             1,    .ecx, 11, .any,   "0xd/0",               "CET_U user state",                          "xss_cet_u"),
        Row(0xd,             1,    .ecx, 12, .any,   "0xd/0",               "CET_S supervisor state",                    "xss_cet_s"),
        Row(0xd,             1,    .ecx, 13, .any,   "0xd/0",               "HDC state",                                 "xss_hdc"),
        Row(0xd,             1,    .ecx, 14, .any,   "0xd/0",               "UINTR state",                               "xss_uintr"),
        Row(0xd,             1,    .ecx, 15, .any,   "0xd/0",               "LBR state",                                 "xss_lbr"),
        Row(0xd,             1,    .ecx, 16, .any,   "0xd/0",               "HWP state",                                 "xss_hwp"),
        // Leaf 0x12 rows name the fields of the SGX work's SGXLeafDecoder; they compare once it is registered.
        Row(0x12,            0,    .eax,  0, .any,   "0x12/0",              "SGX1 supported",                            "SGX1"),
        Row(0x12,            0,    .eax,  1, .any,   "0x12/0",              "SGX2 supported",                            "SGX2"),
        Row(0x12,            0,    .eax,  5, .any,   "0x12/0",              "SGX ENCLV E*VIRTCHILD, ESETCONTEXT",        "ENCLV"),
        Row(0x12,            0,    .eax,  6, .any,   "0x12/0",              "SGX ENCLS ETRACKC, ERDINFO, ELDBC, ELDUC",  "ENCLS-C"),
        Row(0x12,            0,    .eax,  7, .any,   "0x12/0",              "SGX ENCLU EVERIFYREPORT2",                  "EVERIFYREPORT2"),
        Row(0x12,            0,    .eax, 11, .any,   "0x12/0",              "SGX ENCLU EDECCSSA",                        "EDECCSSA"),
        Row(0x12,            0,    .ebx,  0, .any,   "0x12/0",              "MISCSELECT.EXINFO supported: #PF & #GP",    "EXINFO"),
        Row(0x12,            0,    .ebx,  1, .any,   "0x12/0",              "MISCSELECT.CPINFO supported: #CP",          "CPINFO"),
        Row(0x12,            1,    .eax,  0, .any,   "0x12/1",              "enclave initialized by EINIT",              "INIT"),
        Row(0x12,            1,    .eax,  1, .any,   "0x12/1",              "enclave debugger read/write permission",    "DEBUG"),
        Row(0x12,            1,    .eax,  2, .any,   "0x12/1",              "enclave 64-bit mode",                       "MODE64BIT"),
        Row(0x12,            1,    .eax,  4, .any,   "0x12/1",              "provisioning key available",                "PROVISIONKEY"),
        Row(0x12,            1,    .eax,  5, .any,   "0x12/1",              "EINIT token key available",                 "EINITTOKENKEY"),
        Row(0x12,            1,    .eax,  6, .any,   "0x12/1",              "CET attributes enabled",                    "CET"),
        Row(0x12,            1,    .eax,  7, .any,   "0x12/1",              "KSS key separation & sharing enabled",      "KSS"),
        Row(0x14,            0,    .ebx,  0, .any,   "0x14",                "IA32_RTIT_CR3_MATCH is accessible",         "cr3_filtering"),
        Row(0x14,            0,    .ebx,  1, .any,   "0x14",                "configurable PSB & cycle-accurate",         "psb_cyc"),
        Row(0x14,            0,    .ebx,  2, .any,   "0x14",                "IP & TraceStop filtering; PT preserve",     "ip_filtering"),
        Row(0x14,            0,    .ebx,  3, .any,   "0x14",                "MTC timing packet; suppress COFI-based",    "mtc"),
        Row(0x14,            0,    .ebx,  4, .any,   "0x14",                "PTWRITE support",                           "ptwrite"),
        Row(0x14,            0,    .ebx,  5, .any,   "0x14",                "power event trace support",                 "power_event_trace"),
        Row(0x14,            0,    .ebx,  6, .any,   "0x14",                "PSB/PMI preservation support",              "psb_pmi_preserve"),
        Row(0x14,            0,    .ebx,  7, .any,   "0x14",                "IA32_RTIT_CTL EventEn enable supported",    "event_trace"),
        Row(0x14,            0,    .ebx,  8, .any,   "0x14",                "IA32_RTIT_CTL DisTNT disable supported",    "tnt_disable"),
        Row(0x14,            0,    .ecx,  0, .any,   "0x14",                "ToPA output scheme support",                "topa_output"),
        Row(0x14,            0,    .ecx,  1, .any,   "0x14",                "ToPA can hold many output entries",         "topa_multiple_entries"),
        Row(0x14,            0,    .ecx,  2, .any,   "0x14",                "single-range output scheme support",        "single_range_output"),
        Row(0x14,            0,    .ecx,  3, .any,   "0x14",                "output to trace transport",                 "trace_transport_output"),
        Row(0x14,            0,    .ecx, 31, .any,   "0x14",                "IP payloads have LIP values & CS",          "lip"),
        Row(0x19,            0,    .eax,  0, .any,   "0x19",                "CPL0-only restriction supported",           "cpl0_only_restriction"),
        Row(0x19,            0,    .eax,  1, .any,   "0x19",                "no-encrypt restriction supported",          "no_encrypt_restriction"),
        Row(0x19,            0,    .eax,  2, .any,   "0x19",                "no-decrypt restriction supported",          "no_decrypt_restriction"),
        Row(0x19,            0,    .ebx,  0, .any,   "0x19",                "AESKLE: AES instructions",                  "aeskle"),
        Row(0x19,            0,    .ebx,  2, .any,   "0x19",                "AES wide instructions",                     "aes_wide_kl"),
        Row(0x19,            0,    .ebx,  4, .any,   "0x19",                "MSRs & IWKEY backups",                      "kl_msrs"),
        Row(0x19,            0,    .ecx,  0, .any,   "0x19",                "LOADIWKEY NoBackup parameter",              "loadiwkey_nobackup"),
        Row(0x19,            0,    .ecx,  1, .any,   "0x19",                "IWKEY randomization supported",             "iwkey_random"),
        Row(0x80000001,      0,    .ecx,  0, .any,   "0x80000001/ecx",      "LAHF/SAHF supported in 64-bit mode",        "lahf_lm"),
        Row(0x80000001,      0,    .ecx,  1, .amd,   "0x80000001/ecx",      "CMP Legacy",                                "cmp_legacy"),
        Row(0x80000001,      0,    .ecx,  2, .amd,   "0x80000001/ecx",      "SVM: secure virtual machine",               "svm"),
        Row(0x80000001,      0,    .ecx,  3, .amd,   "0x80000001/ecx",      "extended APIC space",                       "extapic"),
        Row(0x80000001,      0,    .ecx,  4, .amd,   "0x80000001/ecx",      "AltMovCr8",                                 "cr8_legacy"),
        Row(0x80000001,      0,    .ecx,  5, .any,   "0x80000001/ecx",      "LZCNT advanced bit manipulation",           "abm"),
        Row(0x80000001,      0,    .ecx,  6, .amd,   "0x80000001/ecx",      "SSE4A support",                             "sse4a"),
        Row(0x80000001,      0,    .ecx,  7, .amd,   "0x80000001/ecx",      "misaligned SSE mode",                       "misalignsse"),
        Row(0x80000001,      0,    .ecx,  8, .any,   "0x80000001/ecx",      "3DNow! PREFETCH/PREFETCHW instructions",    "3dnowprefetch"),
        Row(0x80000001,      0,    .ecx,  9, .amd,   "0x80000001/ecx",      "OS visible workaround",                     "osvw"),
        Row(0x80000001,      0,    .ecx, 10, .amd,   "0x80000001/ecx",      "instruction based sampling",                "ibs"),
        Row(0x80000001,      0,    .ecx, 11, .amd,   "0x80000001/ecx",      "XOP support",                               "xop"),
        Row(0x80000001,      0,    .ecx, 12, .amd,   "0x80000001/ecx",      "SKINIT/STGI support",                       "skinit"),
        Row(0x80000001,      0,    .ecx, 13, .amd,   "0x80000001/ecx",      "watchdog timer support",                    "wdt"),
        Row(0x80000001,      0,    .ecx, 15, .amd,   "0x80000001/ecx",      "lightweight profiling support",             "lwp"),
        Row(0x80000001,      0,    .ecx, 16, .amd,   "0x80000001/ecx",      "4-operand FMA instruction",                 "fma4"),
        Row(0x80000001,      0,    .ecx, 17, .amd,   "0x80000001/ecx",      "TCE: translation cache extension",          "tce"),
        Row(0x80000001,      0,    .ecx, 19, .amd,   "0x80000001/ecx",      "NodeId MSR C001100C",                       "nodeid_msr"),
        Row(0x80000001,      0,    .ecx, 21, .amd,   "0x80000001/ecx",      "TBM support",                               "tbm"),
        Row(0x80000001,      0,    .ecx, 22, .amd,   "0x80000001/ecx",      "topology extensions",                       "topoext"),
        Row(0x80000001,      0,    .ecx, 23, .amd,   "0x80000001/ecx",      "core performance counter extensions",       "perfctr_core"),
        Row(0x80000001,      0,    .ecx, 24, .amd,   "0x80000001/ecx",      "NB/DF performance counter extensions",      "perfctr_nb"),
        Row(0x80000001,      0,    .ecx, 26, .amd,   "0x80000001/ecx",      "data breakpoint extension",                 "bpext"),
        Row(0x80000001,      0,    .ecx, 27, .amd,   "0x80000001/ecx",      "performance time-stamp counter support",    "ptsc"),
        Row(0x80000001,      0,    .ecx, 28, .amd,   "0x80000001/ecx",      "LLC performance counter extensions",        "perfctr_llc"),
        Row(0x80000001,      0,    .ecx, 29, .amd,   "0x80000001/ecx",      "MWAITX/MONITORX supported",                 "mwaitx"),
        Row(0x80000001,      0,    .ecx, 30, .amd,   "0x80000001/ecx",      "Address mask extension support",            "addr_mask_ext"),
        Row(0x80000001,      0,    .edx,  0, .amd,   "0x80000001/edx",      "x87 FPU on chip",                           "fpu"),
        Row(0x80000001,      0,    .edx,  1, .amd,   "0x80000001/edx",      "virtual-8086 mode enhancement",             "vme"),
        Row(0x80000001,      0,    .edx,  2, .amd,   "0x80000001/edx",      "debugging extensions",                      "de"),
        Row(0x80000001,      0,    .edx,  3, .amd,   "0x80000001/edx",      "page size extensions",                      "pse"),
        Row(0x80000001,      0,    .edx,  4, .amd,   "0x80000001/edx",      "time stamp counter",                        "tsc"),
        Row(0x80000001,      0,    .edx,  5, .amd,   "0x80000001/edx",      "RDMSR and WRMSR support",                   "msr"),
        Row(0x80000001,      0,    .edx,  6, .amd,   "0x80000001/edx",      "physical address extensions",               "pae"),
        Row(0x80000001,      0,    .edx,  7, .amd,   "0x80000001/edx",      "machine check exception",                   "mce"),
        Row(0x80000001,      0,    .edx,  8, .amd,   "0x80000001/edx",      "CMPXCHG8B inst.",                           "cx8"),
        Row(0x80000001,      0,    .edx,  9, .amd,   "0x80000001/edx",      "APIC on chip",                              "apic"),
        Row(0x80000001,      0,    .edx, 11, .any,   "0x80000001/edx",      "SYSCALL and SYSRET instructions",           "syscall"),
        Row(0x80000001,      0,    .edx, 12, .amd,   "0x80000001/edx",      "memory type range registers",               "mtrr"),
        Row(0x80000001,      0,    .edx, 13, .amd,   "0x80000001/edx",      "global paging extension",                   "pge"),
        Row(0x80000001,      0,    .edx, 14, .amd,   "0x80000001/edx",      "machine check architecture",                "mca"),
        Row(0x80000001,      0,    .edx, 15, .amd,   "0x80000001/edx",      "conditional move/compare instruction",      "cmov"),
        Row(0x80000001,      0,    .edx, 16, .amd,   "0x80000001/edx",      "page attribute table",                      "pat"),
        Row(0x80000001,      0,    .edx, 17, .amd,   "0x80000001/edx",      "page size extension",                       "pse36"),
        Row(0x80000001,      0,    .edx, 19, .amd,   "0x80000001/edx",      "multiprocessing capable",                   "mp"),
        Row(0x80000001,      0,    .edx, 20, .amd,   "0x80000001/edx",      "no-execute page protection",                "nx"),
        Row(0x80000001,      0,    .edx, 20, .intel, "0x80000001/edx",      "execution disable",                         "nx"),
        Row(0x80000001,      0,    .edx, 22, .amd,   "0x80000001/edx",      "AMD multimedia instruction extensions",     "mmxext"),
        Row(0x80000001,      0,    .edx, 23, .amd,   "0x80000001/edx",      "MMX Technology",                            "mmx"),
        Row(0x80000001,      0,    .edx, 24, .amd,   "0x80000001/edx",      "FXSAVE/FXRSTOR",                            "fxsr"),
        Row(0x80000001,      0,    .edx, 25, .amd,   "0x80000001/edx",      "SSE extensions",                            "fxsr_opt"),
        Row(0x80000001,      0,    .edx, 26, .any,   "0x80000001/edx",      "1-GB large page support",                   "pdpe1gb"),
        Row(0x80000001,      0,    .edx, 27, .any,   "0x80000001/edx",      "RDTSCP",                                    "rdtscp"),
        Row(0x80000001,      0,    .edx, 29, .amd,   "0x80000001/edx",      "long mode (AA-64)",                         "lm"),
        Row(0x80000001,      0,    .edx, 29, .intel, "0x80000001/edx",      "64-bit extensions technology available",    "lm"),
        Row(0x80000001,      0,    .edx, 30, .amd,   "0x80000001/edx",      "3DNow! instruction extensions",             "3dnowext"),
        Row(0x80000001,      0,    .edx, 31, .amd,   "0x80000001/edx",      "3DNow! instructions",                       "3dnow"),
        Row(0x80000007,      0,    .ebx,  0, .amd,   "0x80000007/ebx",      "MCA overflow recovery support",             "overflow_recov"),
        Row(0x80000007,      0,    .ebx,  1, .amd,   "0x80000007/ebx",      "SUCCOR support",                            "succor"),
        Row(0x80000007,      0,    .ebx,  2, .amd,   "0x80000007/ebx",      "HWA: hardware assert support",              "hw_assert"),
        Row(0x80000007,      0,    .ebx,  3, .amd,   "0x80000007/ebx",      "scalable MCA support",                      "smca"),
        Row(0x80000007,      0,    .edx,  0, .amd,   "0x80000007/edx",      "TS: temperature sensing diode",             "temperature_sensor"),
        Row(0x80000007,      0,    .edx,  1, .amd,   "0x80000007/edx",      "FID: frequency ID control",                 "frequency_id_control"),
        Row(0x80000007,      0,    .edx,  2, .amd,   "0x80000007/edx",      "VID: voltage ID control",                   "voltage_id_control"),
        Row(0x80000007,      0,    .edx,  3, .amd,   "0x80000007/edx",      "TTP: thermal trip",                         "thermal_trip"),
        Row(0x80000007,      0,    .edx,  4, .amd,   "0x80000007/edx",      "TM: thermal monitor",                       "hw_thermal_control"),
        Row(0x80000007,      0,    .edx,  5, .amd,   "0x80000007/edx",      "STC: software thermal control",             "sw_thermal_control"),
        Row(0x80000007,      0,    .edx,  6, .amd,   "0x80000007/edx",      "100 MHz multiplier control",                "100mhz_steps"),
        Row(0x80000007,      0,    .edx,  7, .amd,   "0x80000007/edx",      "hardware P-State control",                  "hw_pstate"),
        Row(0x80000007,      0,    .edx,  8, .any,   "0x80000007/edx",      "TscInvariant",                              "invariant_tsc"),
        Row(0x80000007,      0,    .edx,  9, .amd,   "0x80000007/edx",      "CPB: core performance boost",               "cpb"),
        Row(0x80000007,      0,    .edx, 10, .amd,   "0x80000007/edx",      "read-only effective frequency interface",   "eff_freq_ro"),
        Row(0x80000007,      0,    .edx, 11, .amd,   "0x80000007/edx",      "processor feedback interface",              "proc_feedback"),
        Row(0x80000007,      0,    .edx, 12, .amd,   "0x80000007/edx",      "APM power reporting",                       "acc_power"),
        Row(0x80000007,      0,    .edx, 13, .amd,   "0x80000007/edx",      "connected standby",                         "connected_standby"),
        Row(0x80000007,      0,    .edx, 14, .amd,   "0x80000007/edx",      "RAPL: running average power limit",         "rapl"),
        Row(0x80000008,      0,    .ebx,  0, .amd,   "0x80000008/ebx",      "CLZERO instruction",                        "clzero"),
        Row(0x80000008,      0,    .ebx,  1, .amd,   "0x80000008/ebx",      "instructions retired count support",        "irperf"),
        Row(0x80000008,      0,    .ebx,  2, .amd,   "0x80000008/ebx",      "always save/restore error pointers",        "xsaveerptr"),
        Row(0x80000008,      0,    .ebx,  3, .amd,   "0x80000008/ebx",      "INVLPGB instruction",                       "invlpgb"),
        Row(0x80000008,      0,    .ebx,  4, .amd,   "0x80000008/ebx",      "RDPRU instruction",                         "rdpru"),
        Row(0x80000008,      0,    .ebx,  6, .amd,   "0x80000008/ebx",      "memory bandwidth enforcement",              "mba"),
        Row(0x80000008,      0,    .ebx,  8, .amd,   "0x80000008/ebx",      "MCOMMIT instruction",                       "mcommit"),
        Row(0x80000008,      0,    .ebx,  9, .any,   "0x80000008/ebx",      "WBNOINVD instruction",                      "wbnoinvd"),
        Row(0x80000008,      0,    .ebx, 12, .amd,   "0x80000008/ebx",      "IBPB: indirect branch prediction barrier",  "amd_ibpb"),
        Row(0x80000008,      0,    .ebx, 13, .amd,   "0x80000008/ebx",      "interruptible WBINVD, WBNOINVD",            "wbinvd_int"),
        Row(0x80000008,      0,    .ebx, 14, .amd,   "0x80000008/ebx",      "IBRS: indirect branch restr speculation",   "amd_ibrs"),
        Row(0x80000008,      0,    .ebx, 15, .amd,   "0x80000008/ebx",      "STIBP: 1 thr indirect branch predictor",    "amd_stibp"),
        Row(0x80000008,      0,    .ebx, 16, .amd,   "0x80000008/ebx",      "CPU prefers: IBRS always on",               "ibrs_always_on"),
        Row(0x80000008,      0,    .ebx, 17, .amd,   "0x80000008/ebx",      "CPU prefers: STIBP always on",              "amd_stibp_always_on"),
        Row(0x80000008,      0,    .ebx, 18, .amd,   "0x80000008/ebx",      "IBRS preferred over software solution",     "ibrs_fast"),
        Row(0x80000008,      0,    .ebx, 19, .amd,   "0x80000008/ebx",      "IBRS provides same mode protection",        "amd_ibrs_same_mode"),
        Row(0x80000008,      0,    .ebx, 20, .amd,   "0x80000008/ebx",      "EFER[LMSLE] not supported",                 "efer_lmsle_mbz"),
        Row(0x80000008,      0,    .ebx, 21, .amd,   "0x80000008/ebx",      "INVLPGB supports TLB flush guest nested",   "tlb_flush_nested"),
        Row(0x80000008,      0,    .ebx, 23, .amd,   "0x80000008/ebx",      "ppin processor id number supported",        "amd_ppin"),
        Row(0x80000008,      0,    .ebx, 24, .amd,   "0x80000008/ebx",      "SSBD: speculative store bypass disable",    "amd_ssbd"),
        Row(0x80000008,      0,    .ebx, 25, .amd,   "0x80000008/ebx",      "virtualized SSBD",                          "virt_ssbd"),
        Row(0x80000008,      0,    .ebx, 26, .amd,   "0x80000008/ebx",      "SSBD fixed in hardware",                    "amd_ssb_no"),
        Row(0x80000008,      0,    .ebx, 27, .amd,   "0x80000008/ebx",      "CPPC: collaborative processor perf ctrl",   "cppc"),
        Row(0x80000008,      0,    .ebx, 28, .amd,   "0x80000008/ebx",      "PSFD: predictive store forward disable",    "amd_psfd"),
        Row(0x80000008,      0,    .ebx, 29, .amd,   "0x80000008/ebx",      "not vulnerable to branch type confusion",   "btc_no"),
        Row(0x80000008,      0,    .ebx, 31, .amd,   "0x80000008/ebx",      "branch sampling feature support",           "brs"),
        Row(0x8000000a,      0,    .edx,  0, .amd,   "0x8000000a/edx",      "nested paging",                             "npt"),
        Row(0x8000000a,      0,    .edx,  1, .amd,   "0x8000000a/edx",      "LBR virtualization",                        "lbrv"),
        Row(0x8000000a,      0,    .edx,  2, .amd,   "0x8000000a/edx",      "SVM lock",                                  "svm_lock"),
        Row(0x8000000a,      0,    .edx,  3, .amd,   "0x8000000a/edx",      "NRIP save",                                 "nrip_save"),
        Row(0x8000000a,      0,    .edx,  4, .amd,   "0x8000000a/edx",      "MSR based TSC rate control",                "tsc_scale"),
        Row(0x8000000a,      0,    .edx,  5, .amd,   "0x8000000a/edx",      "VMCB clean bits support",                   "vmcb_clean"),
        Row(0x8000000a,      0,    .edx,  6, .amd,   "0x8000000a/edx",      "flush by ASID",                             "flushbyasid"),
        Row(0x8000000a,      0,    .edx,  7, .amd,   "0x8000000a/edx",      "decode assists",                            "decodeassists"),
        Row(0x8000000a,      0,    .edx, 10, .amd,   "0x8000000a/edx",      "pause intercept filter",                    "pausefilter"),
        Row(0x8000000a,      0,    .edx, 12, .amd,   "0x8000000a/edx",      "pause filter threshold",                    "pfthreshold"),
        Row(0x8000000a,      0,    .edx, 13, .amd,   "0x8000000a/edx",      "AVIC: AMD virtual interrupt controller",    "avic"),
        Row(0x8000000a,      0,    .edx, 15, .amd,   "0x8000000a/edx",      "virtualized VMLOAD/VMSAVE",                 "v_vmsave_vmload"),
        Row(0x8000000a,      0,    .edx, 16, .amd,   "0x8000000a/edx",      "virtualized global interrupt flag (GIF)",   "vgif"),
        Row(0x8000000a,      0,    .edx, 17, .amd,   "0x8000000a/edx",      "GMET: guest mode execute trap",             "gmet"),
        Row(0x8000000a,      0,    .edx, 18, .amd,   "0x8000000a/edx",      "X2AVIC: virtualized X2APIC",                "x2avic"),
        Row(0x8000000a,      0,    .edx, 19, .amd,   "0x8000000a/edx",      "supervisor shadow stack",                   "sss_check"),
        Row(0x8000000a,      0,    .edx, 20, .amd,   "0x8000000a/edx",      "guest Spec_ctl support",                    "v_spec_ctrl"),
        Row(0x8000000a,      0,    .edx, 21, .amd,   "0x8000000a/edx",      "ROGPT: read-only guest page table",         "ro_gpt"),
        Row(0x8000000a,      0,    .edx, 23, .amd,   "0x8000000a/edx",      "host MCE override",                         "h_mce_override"),
        Row(0x8000000a,      0,    .edx, 24, .amd,   "0x8000000a/edx",      "INVLPGB/TLBSYNC hyperv interc enable",      "tlbsync_intercept"),
        Row(0x8000000a,      0,    .edx, 25, .amd,   "0x8000000a/edx",      "VNMI: NMI virtualization",                  "vnmi"),
        Row(0x8000000a,      0,    .edx, 26, .amd,   "0x8000000a/edx",      "IBS virtualization",                        "ibs_virt"),
        Row(0x8000000a,      0,    .edx, 28, .amd,   "0x8000000a/edx",      "guest SVME addr check",                     "svme_addr_chk"),
        Row(0x8000001d,      nil,  .eax,  8, .any,   "0x8000001d#*",        "self-initializing",                         "self_initializing"),
        Row(0x8000001d,      nil,  .eax,  9, .any,   "0x8000001d#*",        "fully associative",                         "fully_associative"),
        Row(0x8000001d,      nil,  .edx,  0, .any,   "0x8000001d#*",        "write-back invalidate",                     "wbinvd_no_lower_guarantee"),
        Row(0x8000001d,      nil,  .edx,  1, .any,   "0x8000001d#*",        "cache inclusive of lower levels",           "inclusive"),
        Row(0x8000001f,      0,    .eax,  0, .any,   "0x8000001f",          "SME: secure memory encryption support",     "sme"),
        Row(0x8000001f,      0,    .eax,  1, .any,   "0x8000001f",          "SEV: secure encrypted virtualize support",  "sev"),
        Row(0x8000001f,      0,    .eax,  2, .any,   "0x8000001f",          "VM page flush MSR support",                 "vm_page_flush"),
        Row(0x8000001f,      0,    .eax,  3, .any,   "0x8000001f",          "SEV-ES: SEV encrypted state support",       "sev_es"),
        Row(0x8000001f,      0,    .eax,  4, .any,   "0x8000001f",          "SEV-SNP: SEV secure nested paging",         "sev_snp"),
        Row(0x8000001f,      0,    .eax,  5, .any,   "0x8000001f",          "VMPL: VM permission levels",                "vmpl"),
        Row(0x8000001f,      0,    .eax,  6, .any,   "0x8000001f",          "RMPQUERY instruction support",              "rmpquery"),
        Row(0x8000001f,      0,    .eax,  7, .any,   "0x8000001f",          "VMPL supervisor shadow stack support",      "vmpl_sss"),
        Row(0x8000001f,      0,    .eax,  8, .any,   "0x8000001f",          "Secure TSC supported",                      "secure_tsc"),
        Row(0x8000001f,      0,    .eax,  9, .any,   "0x8000001f",          "virtual TSC_AUX supported",                 "v_tsc_aux"),
        Row(0x8000001f,      0,    .eax, 10, .any,   "0x8000001f",          "hardware cache coher across enc domains",   "sme_coherent"),
        Row(0x8000001f,      0,    .eax, 11, .any,   "0x8000001f",          "SEV guest exec only from 64-bit host",      "req_64bit_hypervisor"),
        Row(0x8000001f,      0,    .eax, 12, .any,   "0x8000001f",          "restricted injection",                      "restricted_injection"),
        Row(0x8000001f,      0,    .eax, 13, .any,   "0x8000001f",          "alternate injection",                       "alternate_injection"),
        Row(0x8000001f,      0,    .eax, 14, .any,   "0x8000001f",          "full debug state swap for SEV-ES guests",   "debug_swap"),
        Row(0x8000001f,      0,    .eax, 15, .any,   "0x8000001f",          "disallowing IBS use by host",               "disallow_host_ibs"),
        Row(0x8000001f,      0,    .eax, 16, .any,   "0x8000001f",          "VTE: SEV virtual transparent encryption",   "virt_transparent_encryption"),
        Row(0x8000001f,      0,    .eax, 17, .any,   "0x8000001f",          "VMGEXIT parameter support",                 "vmgexit_parameter"),
        Row(0x8000001f,      0,    .eax, 18, .any,   "0x8000001f",          "virtual TOM MSR support",                   "virt_tom_msr"),
        Row(0x8000001f,      0,    .eax, 19, .any,   "0x8000001f",          "IBS virtual support for SEV-ES guests",     "ibs_virt_sev_es"),
        Row(0x8000001f,      0,    .eax, 24, .any,   "0x8000001f",          "VMSA register protection support",          "vmsa_reg_protection"),
        Row(0x8000001f,      0,    .eax, 25, .any,   "0x8000001f",          "SMT protection support",                    "smt_protection"),
        Row(0x8000001f,      0,    .eax, 28, .any,   "0x8000001f",          "SVSM communication page MSR support",       "svsm_page_msr"),
        Row(0x8000001f,      0,    .eax, 29, .any,   "0x8000001f",          "VIRT_RMPUPDATE & VIRT_PSMASH MSR support",  "nested_virt_snp_msr"),
        Row(0x80000021,      0,    .eax,  0, .any,   "0x80000021",          "no nested data-breakpoints",                "no_nested_data_bp"),
        Row(0x80000021,      0,    .eax,  2, .any,   "0x80000021",          "LFENCE always serializing",                 "lfence_rdtsc"),
        Row(0x80000021,      0,    .eax,  3, .any,   "0x80000021",          "SMM paging configuration lock support",     "smm_pgcfg_lock"),
        Row(0x80000021,      0,    .eax,  6, .any,   "0x80000021",          "null selector clears base",                 "null_sel_clr_base"),
        Row(0x80000021,      0,    .eax,  7, .any,   "0x80000021",          "upper address ignore support",              "upper_address_ignore"),
        Row(0x80000021,      0,    .eax,  8, .any,   "0x80000021",          "automatic IBRS",                            "autoibrs"),
        Row(0x80000021,      0,    .eax,  9, .any,   "0x80000021",          "SMM_CTL MSR not supported",                 "no_smm_ctl_msr"),
        Row(0x80000021,      0,    .eax, 13, .any,   "0x80000021",          "prefetch control MSR support",              "prefetch_ctl_msr"),
        Row(0x80000021,      0,    .eax, 17, .any,   "0x80000021",          "CPUID disable for non-privileged",          "gp_on_user_cpuid"),
    ]

    // MARK: - Support

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func corpusFiles(_ corpus: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) else { return [] }
        // The arm/ folder holds ARM register dumps, which have no CPUID to decode.
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "test" && !$0.path.contains("/arm/") }
            .sorted { $0.path < $1.path }
    }

    static func findProgram(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func runProgram(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// vcpuid's JSON as, per CPU, field → (value, register, low bit).
    static func fieldsByCPU(json: String) throws -> [[FieldKey: DecodedValue]] {
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let cpus = try XCTUnwrap(root["cpus"] as? [[String: Any]])
        return try cpus.map { cpu in
            var fields: [FieldKey: DecodedValue] = [:]
            for leaf in try XCTUnwrap(cpu["leaves"] as? [[String: Any]]) {
                let leafNumber = try XCTUnwrap(UInt32((leaf["leaf"] as? String ?? "").dropFirst(2), radix: 16))
                let subleaf = try XCTUnwrap(UInt32((leaf["subleaf"] as? String ?? "").dropFirst(2), radix: 16))
                for field in try XCTUnwrap(leaf["fields"] as? [[String: Any]]) {
                    let name = try XCTUnwrap(field["name"] as? String)
                    fields[FieldKey(leaf: leafNumber, subleaf: subleaf, name: name)] = DecodedValue(
                        value: try XCTUnwrap(field["value"] as? Int), register: field["register"] as? String ?? "",
                        low: field["low"] as? Int ?? -1)
                }
            }
            return fields
        }
    }
}

struct FieldKey: Hashable {
    var leaf: UInt32
    var subleaf: UInt32
    var name: String
}

struct DecodedValue: Equatable {
    var value: Int
    var register: String
    var low: Int
}

/// Which vendor's definitions a CPU follows, for choosing mapping rows.
enum DecoderVendorKind {
    case intel, amd, other

    init(_ snapshot: Snapshot) {
        switch snapshot.vendor {
        case "GenuineIntel": self = .intel
        case "AuthenticAMD", "HygonGenuine": self = .amd
        default: self = .other
        }
    }
}

struct MappingRow {
    enum Vendor {
        case any, intel, amd

        func applies(to kind: DecoderVendorKind) -> Bool {
            switch self {
            case .any: true
            case .intel: kind == .intel
            case .amd: kind == .amd
            }
        }
    }

    var leaf: UInt32
    var subleaf: UInt32?
    var register: Register
    var bit: Int
    var vendor: Vendor
    var section: String
    var description: String
    var name: String

    init(_ leaf: UInt32, _ subleaf: UInt32?, _ register: Register, _ bit: Int, _ vendor: Vendor,
         _ section: String, _ description: String, _ name: String) {
        self.leaf = leaf
        self.subleaf = subleaf
        self.register = register
        self.bit = bit
        self.vendor = vendor
        self.section = section
        self.description = description
        self.name = name
    }

    /// The cpuid keys this row stands for in one CPU's output, with vcpuid's subleaf and field name.
    func instances(in cpu: [ToddKey: Bool]) -> [(ToddKey, UInt32, String)] {
        if let subleaf { return [(ToddKey(section: section, description: description), subleaf, name)] }
        var result: [(ToddKey, UInt32, String)] = []
        if section.hasSuffix("#*") {
            let base = section.dropLast(2)
            for n in 0..<64 {
                let key = ToddKey(section: "\(base)#\(n)", description: description)
                guard cpu[key] != nil else { break }
                result.append((key, UInt32(n), name))
            }
        } else if section == "0xd/*" {
            for n in 2..<64 {
                let label = n < 10 ? "\(n)" : "0x" + String(n, radix: 16)
                let key = ToddKey(section: "0xd/\(label)", description: description)
                guard cpu[key] != nil, let component = Self.xsaveComponents[n] else { continue }
                result.append((key, UInt32(n), name.replacingOccurrences(of: "*", with: component)))
            }
        }
        return result
    }

    /// vcpuid's names of XSAVE state components (its leaf 0xD field prefixes).
    static let xsaveComponents: [Int: String] = [
        2: "avx", 3: "bndregs", 4: "bndcsr", 5: "opmask", 6: "zmm_hi256", 7: "hi16_zmm", 8: "pt", 9: "pkru",
        10: "pasid", 11: "cet_u", 12: "cet_s", 13: "hdc", 14: "uintr", 15: "lbr", 16: "hwp", 17: "xtilecfg",
        18: "xtiledata", 19: "apx", 62: "lwp",
    ]
}

struct ToddKey: Hashable {
    var section: String
    var description: String
}

/// Reads `cpuid -f` output: `CPU n:` blocks; section headers indented three spaces whose last
/// parenthesized group names the leaf (`extended feature flags (7):`); `--- cache n ---` sub-blocks;
/// and `description = true|false` lines.
enum ToddOutput {
    static func parse(_ text: String) -> [[ToddKey: Bool]] {
        var cpus: [[ToddKey: Bool]] = []
        var section = ""
        var block = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("CPU") {
                cpus.append([:])
                section = ""
                block = ""
                continue
            }
            guard !cpus.isEmpty else { continue }
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if indent == 3 {
                block = ""
                if let close = body.lastIndex(of: ")"), let open = body[..<close].lastIndex(of: "(") {
                    section = String(body[body.index(after: open)..<close])
                } else {
                    section = String(body.split(separator: "=").first ?? "").trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            if body.hasPrefix("--- "), let number = body.split(separator: " ").dropFirst(2).first {
                block = "#\(number)"
                continue
            }
            guard indent >= 6, let equals = body.range(of: " = ", options: .backwards) else { continue }
            let value = body[equals.upperBound...].trimmingCharacters(in: .whitespaces)
            guard value == "true" || value == "false" else { continue }
            let description = body[..<equals.lowerBound].trimmingCharacters(in: .whitespaces)
            cpus[cpus.count - 1][ToddKey(section: section + block, description: description)] = value == "true"
        }
        return cpus
    }
}
