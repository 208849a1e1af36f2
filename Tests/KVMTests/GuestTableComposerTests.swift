import CPUID
import XCTest
@testable import KVM

/// A small directory with Linux's rows for the features these tests touch.
enum TestDirectory {
    static let table = GuestFeatureTable([
        GuestFeature(macro: "XSAVE", aliases: ["xsave"], qemuName: "xsave", field: CPUIDField(0x1, 0, .ecx, bit: 26), dependsOn: ["FXSR"]),
        GuestFeature(macro: "FXSR", aliases: ["fxsr"], qemuName: "fxsr", field: CPUIDField(0x1, 0, .edx, bit: 24)),
        GuestFeature(macro: "AVX", aliases: ["avx"], qemuName: "avx", field: CPUIDField(0x1, 0, .ecx, bit: 28), dependsOn: ["XSAVE"]),
        GuestFeature(macro: "FMA", aliases: ["fma"], qemuName: "fma", field: CPUIDField(0x1, 0, .ecx, bit: 12), dependsOn: ["AVX"]),
        GuestFeature(macro: "AVX2", aliases: ["avx2"], qemuName: "avx2", field: CPUIDField(0x7, 0, .ebx, bit: 5), dependsOn: ["AVX"]),
        GuestFeature(macro: "AVX512F", aliases: ["avx512f"], qemuName: "avx512f", field: CPUIDField(0x7, 0, .ebx, bit: 16), dependsOn: ["AVX"]),
        GuestFeature(macro: "SGX", aliases: ["sgx"], qemuName: "sgx", field: CPUIDField(0x7, 0, .ebx, bit: 2)),
        GuestFeature(macro: "SGX_LC", aliases: ["sgx_lc"], qemuName: "sgxlc", field: CPUIDField(0x7, 0, .ecx, bit: 30), dependsOn: ["SGX"]),
        GuestFeature(macro: "SGX1", aliases: [], qemuName: "sgx1", field: CPUIDField(0x12, 0, .eax, bit: 0), dependsOn: ["SGX"]),
        GuestFeature(macro: "SGX2", aliases: [], qemuName: "sgx2", field: CPUIDField(0x12, 0, .eax, bit: 1), dependsOn: ["SGX1"]),
        GuestFeature(macro: "SGX_EDECCSSA", aliases: [], qemuName: "sgx-edeccssa", field: CPUIDField(0x12, 0, .eax, bit: 11), dependsOn: ["SGX1"]),
        GuestFeature(macro: "CONSTANT_TSC", aliases: ["constant_tsc"], field: nil),
    ])
}

final class GuestTableComposerTests: XCTestCase {
    let composer = GuestTableComposer(directory: TestDirectory.table)

    /// A narrow, KVM-like base without SGX (leaf 0x12 zero) and without XSAVE.
    static let narrowBase = GuestBase(kind: .live, snapshot: Snapshot([
        CPUIDEntry(leaf: 0x0, eax: 0x1c, ebx: 0x6874_7541, ecx: 0x444d_4163, edx: 0x6974_6e65),
        CPUIDEntry(leaf: 0x1, eax: 0x00a1_0f11, ebx: 0x0102_0800, ecx: 0x8120_2000, edx: 0x078b_fbff),
        CPUIDEntry(leaf: 0x7, subleaf: 0, eax: 1, ebx: 0x0180_0002, ecx: 0x104, edx: 0x2000_0000),
        CPUIDEntry(leaf: 0x7, subleaf: 1, eax: 0, ebx: 0, ecx: 0, edx: 0),
        CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0, ebx: 0, ecx: 0, edx: 0),
        CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0021, ebx: 0, ecx: 0, edx: 0),
    ]), name: "KVM_GET_SUPPORTED_CPUID (test)")

    static let richBase = GuestBase(kind: .host, snapshot: ConsistentTable.make(), name: "the test host")

    func compose(_ edits: [GuestPolicy.Edit], base: GuestBase = narrowBase, allowUnsupported: Bool = false) throws -> GuestComposition {
        try composer.compose(GuestPolicy(edits: edits, allowUnsupported: allowUnsupported), on: base)
    }

    func problems(_ edits: [GuestPolicy.Edit], base: GuestBase = narrowBase, allowUnsupported: Bool = false) -> [GuestPolicyError.Problem] {
        do {
            _ = try compose(edits, base: base, allowUnsupported: allowUnsupported)
            XCTFail("expected the policy to be refused")
            return []
        } catch let error as GuestPolicyError {
            return error.problems
        } catch {
            XCTFail("unexpected \(error)")
            return []
        }
    }

    func testNoEditsGiveTheBase() throws {
        let composition = try compose([])
        XCTAssertEqual(composition.table, Self.narrowBase.snapshot)
        XCTAssertEqual(composition.changedKeys, [])
    }

    func testDisablingXSAVELeavesNoAVXFamilyBit() throws {
        let composition = try compose([.disable(["xsave"])], base: Self.richBase)
        for field in StructuralRules.xsaveDependentFields {
            XCTAssertFalse(composition.table.isSet(field.field), "\(field) still set")
        }
        XCTAssertFalse(composition.table.isSet(StructuralRules.xsave.field))
        let changes = composition.steps.flatMap(\.changes).joined(separator: "\n")
        XCTAssertTrue(changes.contains("cleared AVX CPUID.(EAX=01H):ECX[28] (Linux: depends on XSAVE)"), changes)
        XCTAssertTrue(changes.contains("rule avx512-needs-xsave") || changes.contains("Linux: depends on AVX"), changes)
    }

    func testEnablingSGXOnABaseWithoutItNeedsAllowUnsupported() {
        let found = problems([.enable(["sgx", "sgx1"])])
        XCTAssertEqual(found.count, 2)
        guard case let .unsupported(feature, base, reason, edit) = found.first else { return XCTFail("\(found)") }
        XCTAssertEqual(feature.macro, "SGX")
        XCTAssertEqual(base, "KVM_GET_SUPPORTED_CPUID (test)")
        XCTAssertEqual(reason, "CPUID.(EAX=07H,ECX=0):EBX[2] is 0 in KVM_GET_SUPPORTED_CPUID (test)")
        XCTAssertEqual(edit, "--enable sgx,sgx1")
        XCTAssertTrue(found[0].description.contains("--allow-unsupported"))
    }

    func testEnablingTheSGXFamilyMakesLeaf12Reachable() throws {
        var base = Self.narrowBase
        base.snapshot.set(0x0, 0, .eax, to: 0xd)
        base.snapshot.remove(0x12, 0)
        let composition = try compose([.enable(["sgx", "sgx1", "sgx2", "sgx-edeccssa"])], base: base, allowUnsupported: true)
        let table = composition.table
        XCTAssertEqual(table.value(0x12, 0, .eax), 0x803)
        XCTAssertEqual(table.maxBasicLeaf, 0x12, "the basic range now reaches leaf 0x12")
        XCTAssertEqual(table.subleaves(of: 0x12).map(\.subleaf), [0, 1, 2])
        XCTAssertTrue(table.subleaves(of: 0x12).allSatisfy(\.significantIndex))
        XCTAssertEqual(GuestTableChecker.errors(in: table), [])
        XCTAssertEqual(composition.enabledFeatures.map(\.macro), ["SGX", "SGX1", "SGX2", "SGX_EDECCSSA"])
        XCTAssertTrue(composition.warnings.contains { $0.contains("EPC") }, "\(composition.warnings)")
        XCTAssertEqual(composition.warnings.filter { $0.contains("--allow-unsupported") }.count, 4)
    }

    func testEnablingALeaf7Subleaf1FeatureRaisesTheSubleafCount() throws {
        let directory = GuestFeatureTable([GuestFeature(macro: "AVX_VNNI", field: CPUIDField(0x7, 1, .eax, bit: 4))])
        var base = Self.richBase
        base.snapshot.set(0x7, 0, .eax, to: 0)
        base.snapshot.remove(0x7, 1)
        let composition = try GuestTableComposer(directory: directory, rules: [StructuralRules.named("leaf7-subleaf-range")].compactMap { $0 })
            .compose(GuestPolicy(edits: [.enable(["avx_vnni"])], allowUnsupported: true), on: base)
        XCTAssertEqual(composition.table.value(0x7, 0, .eax), 1)
        XCTAssertTrue(composition.table.isSet(CPUIDField(0x7, 1, .eax, bit: 4)))
        XCTAssertTrue(composition.steps[0].changes.contains { $0.hasPrefix("raised the subleaf count of leaf 0x00000007") },
                      "\(composition.steps[0].changes)")
    }

    func testEnablingEDECCSSAAfterDisablingSGX1NamesTheDependency() {
        let found = problems([.disable(["sgx1"]), .enable(["sgx-edeccssa"])], base: Self.richBase, allowUnsupported: true)
        XCTAssertEqual(found.count, 1, "\(found)")
        guard case let .dependencyOff(feature, chain, edit) = found.first else { return XCTFail("\(found)") }
        XCTAssertEqual(feature.macro, "SGX_EDECCSSA")
        XCTAssertEqual(edit, "--enable sgx-edeccssa")
        XCTAssertEqual(chain.map(\.label), ["SGX_EDECCSSA", "SGX1"])
        XCTAssertEqual(chain[1].offBecause, "--disable sgx1")
        XCTAssertTrue(chain[1].because.contains("Linux: SGX_EDECCSSA depends on SGX1"), "\(chain[1].because)")
        XCTAssertTrue(chain[1].because.contains("rule sgx-functions-need-sgx1"), "\(chain[1].because)")
        let text = found[0].description
        XCTAssertTrue(text.contains("cannot enable SGX_EDECCSSA: SGX1 is off; dependency chain SGX_EDECCSSA → SGX1"), text)
        XCTAssertTrue(text.contains("SGX1 is off (--disable sgx1)"), text)
    }

    func testChainLeadsToTheRootCause() {
        let found = problems([.disable(["sgx"]), .enable(["sgx2"])], base: Self.richBase)
        guard case let .dependencyOff(_, chain, _) = found.first else { return XCTFail("\(found)") }
        XCTAssertEqual(chain.map(\.label), ["SGX2", "SGX1", "SGX"])
        XCTAssertEqual(chain[2].offBecause, "--disable sgx")
        XCTAssertEqual(chain[1].offBecause, "--disable sgx: SGX1 depends on SGX")
    }

    func testEnablingWithoutItsDependencySaysToEnableItToo() {
        let found = problems([.enable(["sgx", "sgx2"])], allowUnsupported: true)
        guard case let .dependencyOff(feature, chain, _) = found.first else { return XCTFail("\(found)") }
        XCTAssertEqual(feature.macro, "SGX2")
        XCTAssertEqual(chain.map(\.label), ["SGX2", "SGX1"])
        XCTAssertTrue(chain[1].offBecause?.hasSuffix("enable it too") ?? false, chain[1].offBecause ?? "")
    }

    func testDisablingSGX1ClearsSGX2AndEDECCSSA() throws {
        let composition = try compose([.disable(["sgx1"])], base: Self.richBase)
        XCTAssertEqual(composition.table.value(0x12, 0, .eax), 0)
        XCTAssertEqual(composition.table.subleaves(of: 0x12).map(\.subleaf), [0])
        XCTAssertTrue(composition.table.isSet(StructuralRules.sgx.field))
    }

    func testUnknownAndSyntheticNamesAreRefused() {
        let found = problems([.enable(["avx2x", "constant_tsc"])], base: Self.richBase)
        XCTAssertEqual(found.count, 2)
        XCTAssertEqual(found[0], .unknownFeature(name: "avx2x", edit: "--enable avx2x,constant_tsc", suggestions: ["avx2", "avx"]))
        XCTAssertEqual(found[1], .notACPUIDBit(feature: "CONSTANT_TSC", edit: "--enable avx2x,constant_tsc"))
    }

    func testNamesMatchAcrossSpellings() throws {
        for name in ["SGX_EDECCSSA", "sgx-edeccssa", "sgx_edeccssa"] {
            XCTAssertEqual(TestDirectory.table.feature(named: name)?.macro, "SGX_EDECCSSA", name)
        }
        let composition = try compose([.disable(["SGX_EDECCSSA"])], base: Self.richBase)
        XCTAssertFalse(composition.table.isSet(StructuralRules.edeccssa.field))
        XCTAssertEqual(composition.advisories.map(\.rule.name), ["aexnotify-with-edeccssa"],
                       "AEX-Notify without EDECCSSA is worth a note, not a refusal")
    }

    func testRawSetIsCheckedAtTheEnd() throws {
        let assignment = try RegisterAssignment(parsing: "0x12.0.eax=0x803")
        let found = problems([.set(assignment)])
        XCTAssertTrue(found.contains { if case let .inconsistent(v) = $0 { v.rule.name == "sgx1-needs-sgx" } else { false } }, "\(found)")

        let fine = try compose([.set(try RegisterAssignment(parsing: "0x7.0.ebx[2]=1")), .set(assignment),
                                .set(try RegisterAssignment(parsing: "0x12.1.eax=0"))])
        XCTAssertEqual(fine.table.value(0x12, 0, .eax), 0x803)
        XCTAssertEqual(fine.steps[0].changes, ["0x00000007.0x00 EBX: 0x01800002 → 0x01800006"])
    }

    func testRawEditBreakingALinuxDependencyIsRefused() throws {
        let found = problems([.set(try RegisterAssignment(parsing: "0x7.0.ebx[5]=1"))])
        XCTAssertTrue(found.contains {
            if case let .dependencyBroken(v) = $0 { v.feature.macro == "AVX2" && v.dependency.macro == "AVX" } else { false }
        }, "\(found)")
        XCTAssertTrue(found.map(\.description).contains { $0.contains("a Linux guest would clear AVX2 at boot") }, "\(found)")
    }

    func testDependencyViolationsOfAWholeTable() {
        var table = ConsistentTable.make()
        XCTAssertEqual(GuestTableChecker.dependencyViolations(in: table, directory: TestDirectory.table), [])
        ConsistentTable.clearBit(CPUIDField(0x1, 0, .ecx, bit: 28), in: &table)
        let found = GuestTableChecker.dependencyViolations(in: table, directory: TestDirectory.table)
        XCTAssertEqual(Set(found.map(\.feature.macro)), ["FMA", "AVX2", "AVX512F"])
        XCTAssertTrue(found.allSatisfy { $0.dependency.macro == "AVX" })
        XCTAssertTrue(found[0].description.hasPrefix("[cpuid-deps] "), found[0].description)
    }

    func testTemplateEditAppliesInOrder() throws {
        let template = FirecrackerTemplate(cpuidModifiers: [
            .init(leaf: 0x7, subleaf: 0, flags: 1, modifiers: [.init(register: .ebx, bitmap: try TemplateBitmap(parsing: "0b0x", width: 32))]),
        ])
        let composition = try compose([.template(template, path: "t.json")], base: Self.narrowBase)
        XCTAssertFalse(composition.table.isSet(CPUIDField(0x7, 0, .ebx, bit: 1)))
        XCTAssertEqual(composition.steps.first?.edit, "--template t.json")
    }

    func testRegisterAssignmentSyntax() throws {
        XCTAssertEqual(try RegisterAssignment(parsing: "0x12.0.eax=0x803").field, CPUIDField(0x12, 0, .eax, bits: 31, 0))
        XCTAssertEqual(try RegisterAssignment(parsing: "7.0.EBX[31:16]=0").field, CPUIDField(7, 0, .ebx, bits: 31, 16))
        XCTAssertEqual(try RegisterAssignment(parsing: "0x12.0.eax[11]=1").description, "0x00000012.0x00.eax[11]=0x1")
        for bad in ["0x12.0.eax", "0x12.eax=1", "0x12.0.rax=1", "0x12.0.eax=0x1ffffffff", "0x12.0.eax[11]=2", "0x12.0.eax[3:5]=0", "zz.0.eax=1"] {
            XCTAssertThrowsError(try RegisterAssignment(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("--set \(bad): "), "\(error)")
            }
        }
    }
}
