import CPUID
import KVM
import X86Features
import XCTest

/// The bit numbers written in KVM's tables agree with the Linux feature catalogue of the same kernel:
/// a kernel word's row has the macro's own word*32+bit, a KVM-only word's scattered row has the bit the
/// kernel's scattered table reads.
final class ModelCatalogueTests: XCTestCase {
    func testRowsAgreeWithTheKernelsFeatureNumbers() {
        var checked = 0
        var mismatches: [String] = []
        // Only against the Linux profile of the same release: a nearest older one may number a feature
        // differently (LFENCE_RDTSC was synthetic 3*32+18 before it became 20*32+2).
        for profile in KVMKernelProfile.all {
            guard let linux = KernelProfile.exactly(profile.version) else { continue }
            for initializer in profile.initializers {
                let word = initializer.word
                for row in initializer.rows {
                    if let kernelWord = word.kernelWord {
                        guard let number = linux.number(ofFeature: row.macro) else { continue }
                        checked += 1
                        // AMD copied 1.EDX features into 0x80000001.EDX; KVM names them by their 1.EDX macro.
                        let aliased = word == .cpuid_8000_0001_EDX && number.word == 0 && number.bit == row.bit
                        if !aliased, number != FeatureNumber(word: kernelWord, bit: row.bit) {
                            mismatches.append("\(profile.version) \(word.name) \(row): table bit \(row.bit), kernel \(number)")
                        }
                    } else if let scattered = linux.scattered.first(where: { $0.name == row.macro }) {
                        checked += 1
                        let field = word.field(bit: row.bit)
                        if scattered.field != field {
                            mismatches.append("\(profile.version) \(word.name) \(row): table \(field), scattered.c \(scattered.field)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 300)
        XCTAssertEqual(mismatches, [])
    }

    func testEveryScatteredRowNamesAFeatureTheKernelScatters() {
        for profile in KVMKernelProfile.all {
            let linux = KernelProfile.for(profile.version)
            for initializer in profile.initializers {
                for row in initializer.rows where row.kind == .scattered {
                    XCTAssertNotNil(linux.number(ofFeature: row.macro),
                                    "\(profile.version) \(initializer.word): \(row.macro) is not a Linux \(linux.version) feature")
                }
            }
        }
    }
}

extension ModelCatalogueTests {
    /// reverse_cpuid.h and cpufeature.h name the same register for a shared word number; both tables are
    /// written here (KVMCapabilityWord and CapabilityWordSource), so they must agree.
    func testKernelWordsMirrorTheKernelsRegister() throws {
        var checked = 0
        for word in Set(KVMKernelProfile.all.flatMap(\.words)) {
            guard let kernelWord = word.kernelWord else { continue }
            let source = try XCTUnwrap(CapabilityWordSource.of(word: kernelWord)?.register, "\(word): word \(kernelWord)")
            XCTAssertEqual(source.leaf, word.leaf, word.name)
            XCTAssertEqual(source.subleaf, word.subleaf, word.name)
            XCTAssertEqual(source.register, word.register, word.name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 14, "the profiles initialize at least 14 kernel words")
    }
}
