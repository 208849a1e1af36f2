import CPUID
import KVM
import X86Features
import XCTest

/// Hosts built in code for the KVM model tests.
enum ModelHosts {
    static func entry(_ leaf: UInt32, _ subleaf: UInt32 = 0, _ eax: UInt32, _ ebx: UInt32, _ ecx: UInt32,
                      _ edx: UInt32) -> CPUIDEntry {
        CPUIDEntry(leaf: leaf, subleaf: subleaf, eax: eax, ebx: ebx, ecx: ecx, edx: edx)
    }

    /// An Intel host with SGX1, SGX2 and EDECCSSA (0x12.0 EAX = 0xC03), MISCSELECT EXINFO|CPINFO and
    /// attributes with AEXNOTIFY and CET (0x12.1 EAX = 0x4F6), an EPC section, AVX and leaf 7 up to subleaf 2.
    static var intelSGX: Snapshot {
        Snapshot([
            entry(0x0, 0, 0x0000_001B, 0x756E_6547, 0x6C65_746E, 0x4965_6E69),
            entry(0x1, 0, 0x0009_06EA, 0x0010_0800, 0x7FFA_FBFF, 0xBFEB_FBFF),
            entry(0x7, 0, 0x0000_0002, 0x029C_6FBF, 0x4000_0000, 0xBC00_0400),
            entry(0x7, 1, 0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_0000),
            entry(0x7, 2, 0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_0004),
            entry(0xD, 0, 0x0000_001F, 0x0000_0440, 0x0000_0440, 0x0000_0000),
            entry(0xD, 1, 0x0000_000F, 0x0000_03C0, 0x0000_0100, 0x0000_0000),
            entry(0xD, 2, 0x0000_0100, 0x0000_0240, 0x0000_0000, 0x0000_0000),
            entry(0xD, 3, 0x0000_0040, 0x0000_03C0, 0x0000_0000, 0x0000_0000),
            entry(0xD, 4, 0x0000_0040, 0x0000_0400, 0x0000_0000, 0x0000_0000),
            entry(0x12, 0, 0x0000_0C03, 0x0000_0003, 0x0000_0000, 0x0000_241F),
            entry(0x12, 1, 0x0000_04F6, 0x0000_0000, 0x0000_001F, 0x0000_0000),
            entry(0x12, 2, 0x7020_0001, 0x0000_0000, 0x05D8_0001, 0x0000_0000),
            entry(0x12, 3, 0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_0000),
            entry(0x8000_0000, 0, 0x8000_0008, 0, 0, 0),
            entry(0x8000_0001, 0, 0x0000_0000, 0x0000_0000, 0x0000_0121, 0x2C10_0800),
            entry(0x8000_0007, 0, 0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_0100),
            entry(0x8000_0008, 0, 0x0000_3027, 0x0000_0000, 0x0000_0000, 0x0000_0000),
        ])
    }

    /// An AMD EPYC (family 19h model 11h, Zen 4) host without SGX, with SVM, leaf 7 subleaf 1, and the
    /// extended range up to 0x80000021.
    static var amdZen4: Snapshot {
        Snapshot([
            entry(0x0, 0, 0x0000_0010, 0x6874_7541, 0x444D_4163, 0x6974_6E65),
            entry(0x1, 0, 0x00A1_0F11, 0x0040_0800, 0x7EFA_320B, 0x178B_FBFF),
            entry(0x7, 0, 0x0000_0001, 0xF1BF_97A9, 0x0040_5FCE, 0x1000_0010),
            entry(0x7, 1, 0x0000_0020, 0x0000_0000, 0x0000_0000, 0x0000_0000),
            entry(0xD, 0, 0x0000_02E7, 0x0000_0980, 0x0000_0988, 0x0000_0000),
            entry(0xD, 1, 0x0000_000F, 0x0000_0348, 0x0000_1800, 0x0000_0000),
            entry(0xD, 2, 0x0000_0100, 0x0000_0240, 0x0000_0000, 0x0000_0000),
            entry(0xD, 5, 0x0000_0040, 0x0000_0340, 0x0000_0000, 0x0000_0000),
            entry(0xD, 6, 0x0000_0200, 0x0000_0380, 0x0000_0000, 0x0000_0000),
            entry(0xD, 7, 0x0000_0400, 0x0000_0580, 0x0000_0000, 0x0000_0000),
            entry(0xD, 9, 0x0000_0008, 0x0000_0980, 0x0000_0000, 0x0000_0000),
            entry(0xD, 11, 0x0000_0010, 0x0000_0000, 0x0000_0001, 0x0000_0000),
            entry(0xD, 12, 0x0000_0018, 0x0000_0000, 0x0000_0001, 0x0000_0000),
            entry(0x8000_0000, 0, 0x8000_0028, 0x6874_7541, 0x444D_4163, 0x6974_6E65),
            entry(0x8000_0001, 0, 0x00A1_0F11, 0x4000_0000, 0x75C2_37FF, 0x2FD3_FBFF),
            entry(0x8000_0007, 0, 0x0000_0000, 0x0000_003B, 0x0000_0000, 0x0000_6799),
            entry(0x8000_0008, 0, 0x0000_3030, 0x791E_F257, 0x0000_707F, 0x0001_0000),
            entry(0x8000_000A, 0, 0x0000_0001, 0x0000_8000, 0x0000_0000, 0x1EBF_BCFF),
            entry(0x8000_0021, 0, 0x0006_2FCF, 0x0000_015C, 0x0000_0000, 0x0000_0000),
        ])
    }
}

/// A host kernel that sees exactly the raw CPUID, for tests of the model's own formula.
struct RawHostKernel: KVMHostKernelView {
    var snapshot: Snapshot
    var cleared: Set<String> = []

    func capabilityWord(_ word: Int) -> UInt32 {
        let sources: [Int: (UInt32, UInt32, Register)] = [
            0: (1, 0, .edx), 1: (0x8000_0001, 0, .edx), 4: (1, 0, .ecx), 6: (0x8000_0001, 0, .ecx),
            9: (7, 0, .ebx), 10: (0xD, 1, .eax), 12: (7, 1, .eax), 13: (0x8000_0008, 0, .ebx),
            16: (7, 0, .ecx), 18: (7, 0, .edx), 19: (0x8000_001F, 0, .eax), 20: (0x8000_0021, 0, .eax),
        ]
        guard let (leaf, subleaf, register) = sources[word] else { return 0 }
        return snapshot.value(leaf, subleaf, register)
    }

    func hasFeature(_ macro: String) -> Bool? {
        if cleared.contains(macro) { return false }
        switch macro {
        case "SGX1": return snapshot.value(0x12, 0, .eax) & 0x1 != 0
        case "SGX2": return snapshot.value(0x12, 0, .eax) & 0x2 != 0
        case "SGX_EDECCSSA": return snapshot.value(0x12, 0, .eax) & 0x800 != 0
        default: return nil
        }
    }

    func hasBug(_ name: String) -> Bool? { nil }
}

final class ModelFixtureTests: XCTestCase {
    func testFixturesIdentifyTheirVendors() {
        XCTAssertEqual(ModelHosts.intelSGX.vendor, "GenuineIntel")
        XCTAssertEqual(ModelHosts.amdZen4.vendor, "AuthenticAMD")
        XCTAssertEqual(ModelHosts.amdZen4.signature.family, 0x19)
    }

    func testEveryProfileNamesEachBitOncePerWord() {
        for profile in KVMKernelProfile.all {
            for initializer in profile.initializers {
                let bits = initializer.rows.map(\.bit)
                XCTAssertEqual(Set(bits).count, bits.count, "\(profile) \(initializer.word) names a bit twice")
            }
            let words = profile.words.map(\.name)
            XCTAssertEqual(Set(words).count, words.count, "\(profile) initializes a word twice")
        }
    }
}
