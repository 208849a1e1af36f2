import CPUID
import X86Features
import XCTest
@testable import KVM

/// The guest directory built from the real feature catalogue (Linux 6.18's tables).
final class GuestCatalogueDirectoryTests: XCTestCase {
    static let directory = GuestFeatureTable(kernel: KernelProfile.for(KernelVersion(6, 18)))

    func testSGXNamesResolveToTheirBits() throws {
        let cases: [(String, String, CPUIDField)] = [
            ("sgx", "SGX", CPUIDField(0x7, 0, .ebx, bit: 2)),
            ("sgx1", "SGX1", CPUIDField(0x12, 0, .eax, bit: 0)),
            ("sgx2", "SGX2", CPUIDField(0x12, 0, .eax, bit: 1)),
            ("sgx-edeccssa", "SGX_EDECCSSA", CPUIDField(0x12, 0, .eax, bit: 11)),
            ("X86_FEATURE_SGX_LC", "SGX_LC", CPUIDField(0x7, 0, .ecx, bit: 30)),
            ("xsave", "XSAVE", CPUIDField(0x1, 0, .ecx, bit: 26)),
            ("avx512f", "AVX512F", CPUIDField(0x7, 0, .ebx, bit: 16)),
        ]
        for (name, macro, field) in cases {
            let feature = try XCTUnwrap(Self.directory.feature(named: name), name)
            XCTAssertEqual(feature.macro, macro, name)
            XCTAssertEqual(feature.field, field, name)
        }
        XCTAssertEqual(Self.directory.feature(named: "sgx-edeccssa")?.dependsOn, ["SGX1"])
        XCTAssertTrue(Self.directory.dependents(of: "XSAVE").map(\.macro).contains("AVX"))
    }

    func testKernelOnlyTableAgreesWithTheCatalogue() throws {
        let kernel = KernelProfile.for(KernelVersion(6, 18))
        let quick = GuestFeatureTable(kernelOnly: kernel)
        // The catalogue also lists CPUID bits only other carried kernels name (6.19's, 7.0's), each with a note.
        for feature in Self.directory.features where quick.feature(named: feature.macro) == nil {
            XCTAssertTrue(feature.note?.contains("not in Linux 6.18's tables") ?? false, feature.macro)
        }
        for feature in Self.directory.features where feature.note == nil {
            let other = try XCTUnwrap(quick.feature(named: feature.macro), feature.macro)
            XCTAssertEqual(other.macro, feature.macro)
            XCTAssertEqual(other.field, feature.field, feature.macro)
            XCTAssertEqual(other.dependsOn, feature.dependsOn, feature.macro)
        }
        XCTAssertNil(quick.feature(named: "pclmulqdq").flatMap(\.qemuName), "QEMU names come with the catalogue only")
    }

    func testSyntheticFeaturesHaveNoField() throws {
        XCTAssertNil(try XCTUnwrap(Self.directory.feature(named: "constant_tsc")).field)
    }

    func testPolicyChecksWithTheRealCatalogue() throws {
        let composer = GuestTableComposer(directory: Self.directory)
        let base = GuestBase(kind: .host, snapshot: ConsistentTable.make(), name: "the test host")
        let noXSAVE = try composer.compose(GuestPolicy(edits: [.disable(["xsave"])]), on: base)
        for field in StructuralRules.xsaveDependentFields {
            XCTAssertFalse(noXSAVE.table.isSet(field.field), "\(field) still set")
        }
        XCTAssertThrowsError(try composer.compose(GuestPolicy(edits: [.disable(["sgx1"]), .enable(["sgx-edeccssa"])],
                                                              allowUnsupported: true), on: base)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("cannot enable SGX_EDECCSSA: SGX1 is off; dependency chain SGX_EDECCSSA → SGX1"), text)
            XCTAssertTrue(text.contains("Linux: SGX_EDECCSSA depends on SGX1"), text)
        }
    }
}
