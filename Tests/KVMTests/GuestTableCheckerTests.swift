import CPUID
import XCTest
@testable import KVM

/// A table that satisfies every structural rule, and one mutation per rule that breaks it.
enum ConsistentTable {
    static func make() -> Snapshot {
        Snapshot([
            CPUIDEntry(leaf: 0x0, eax: 0x1d, ebx: 0x756e_6547, ecx: 0x6c65_746e, edx: 0x4965_6e69),
            // XSAVE (26), AVX (28), FMA (12), F16C (29)
            CPUIDEntry(leaf: 0x1, eax: 0x000a_06a4, ebx: 0, ecx: 0x3400_1000, edx: 0x078b_fbff),
            // SGX (2), AVX2 (5), AVX512F (16), MPX (14); PKU (ECX 3); SGX_LC (ECX 30); AMX_TILE (EDX 24)
            CPUIDEntry(leaf: 0x7, subleaf: 0, eax: 1, ebx: 0x0001_4024, ecx: 0x4000_0008, edx: 0x0100_0000),
            CPUIDEntry(leaf: 0x7, subleaf: 1, eax: 0x10, ebx: 0, ecx: 0, edx: 0),
            // XCR0: x87, SSE, YMM, BNDREGS, BNDCSR, opmask, ZMM_Hi256, Hi16_ZMM, PKRU, XTILECFG, XTILEDATA
            CPUIDEntry(leaf: 0xD, subleaf: 0, eax: 0x0006_02ff, ebx: 0x2b00, ecx: 0x2b00, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 1, eax: 0xf, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 2, eax: 0x100, ebx: 0x240, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 3, eax: 0x40, ebx: 0x3c0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 4, eax: 0x40, ebx: 0x400, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 5, eax: 0x40, ebx: 0x440, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 6, eax: 0x200, ebx: 0x480, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 7, eax: 0x400, ebx: 0x680, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 9, eax: 0x8, ebx: 0xa80, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 17, eax: 0x40, ebx: 0xac0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 18, eax: 0x2000, ebx: 0xb00, ecx: 0, edx: 0),
            // SGX1, SGX2, EDECCSSA; EXINFO; enclave sizes; attributes with AEXNOTIFY; one EPC section
            CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0x803, ebx: 0x1, ecx: 0, edx: 0x3824),
            CPUIDEntry(leaf: 0x12, subleaf: 1, eax: 0x4b6, ebx: 0, ecx: 0x2e7, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 2, eax: 0x7000_0001, ebx: 0, ecx: 0x0780_0001, edx: 0),
            CPUIDEntry(leaf: 0x14, subleaf: 0, eax: 1, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x14, subleaf: 1, eax: 0, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x1D, subleaf: 0, eax: 1, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x1D, subleaf: 1, eax: 0x2000, ebx: 0x8_0040, ecx: 0x10, edx: 0),
            CPUIDEntry(leaf: 0x4000_0000, eax: 0x4000_0001, ebx: 0x4b4d_564b, ecx: 0x564b_4d56, edx: 0x4d),
            CPUIDEntry(leaf: 0x4000_0001, eax: 0x0100_7efb, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0008, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0001, eax: 0, ebx: 0, ecx: 0x121, edx: 0x2c10_0800),
            CPUIDEntry(leaf: 0x8000_0008, eax: 0x3030, ebx: 0, ecx: 0, edx: 0),
        ])
    }

    static func setBit(_ field: CPUIDField, in table: inout Snapshot) {
        table.set(field.leaf, field.subleaf, field.register, to: table.value(field.leaf, field.subleaf, field.register) | field.mask)
    }

    static func clearBit(_ field: CPUIDField, in table: inout Snapshot) {
        table.set(field.leaf, field.subleaf, field.register, to: table.value(field.leaf, field.subleaf, field.register) & ~field.mask)
    }

    /// For every rule, a change to the consistent table that breaks exactly that rule's promise.
    static let breakers: [String: @Sendable (inout Snapshot) -> Void] = [
        "basic-leaf-range": { $0.set(CPUIDEntry(leaf: 0x20, eax: 0, ebx: 0, ecx: 0, edx: 0)) },
        "hypervisor-leaf-range": { $0.set(CPUIDEntry(leaf: 0x4000_0005, eax: 1, ebx: 0, ecx: 0, edx: 0)) },
        "extended-leaf-range": { $0.set(CPUIDEntry(leaf: 0x8000_001f, eax: 1, ebx: 0, ecx: 0, edx: 0)) },
        "leaf7-subleaf-range": { $0.set(CPUIDEntry(leaf: 0x7, subleaf: 2, eax: 0, ebx: 0, ecx: 0, edx: 1)) },
        "leaf14-subleaf-range": { $0.set(CPUIDEntry(leaf: 0x14, subleaf: 2, eax: 0, ebx: 0, ecx: 0, edx: 0)) },
        "leaf17-subleaf-range": {
            $0.set(CPUIDEntry(leaf: 0x17, subleaf: 0, eax: 0, ebx: 0, ecx: 0, edx: 0))
            $0.set(CPUIDEntry(leaf: 0x17, subleaf: 1, eax: 0x6c65_746e, ebx: 0, ecx: 0, edx: 0))
        },
        "leaf18-subleaf-range": {
            $0.set(CPUIDEntry(leaf: 0x18, subleaf: 0, eax: 0, ebx: 0, ecx: 0, edx: 0))
            $0.set(CPUIDEntry(leaf: 0x18, subleaf: 1, eax: 0, ebx: 0x1, ecx: 0, edx: 0x21))
        },
        "leaf1d-subleaf-range": { $0.set(0x1D, 0, .eax, to: 0) },
        "leaf24-subleaf-range": {
            $0.set(CPUIDEntry(leaf: 0x24, subleaf: 0, eax: 0, ebx: 0x2, ecx: 0, edx: 0))
            $0.set(CPUIDEntry(leaf: 0x24, subleaf: 1, eax: 0, ebx: 0, ecx: 0, edx: 0))
        },
        "sgx-leaf-needs-sgx": { clearBit(StructuralRules.sgx.field, in: &$0) },
        "sgx-lc-needs-sgx": { clearBit(StructuralRules.sgx.field, in: &$0) },
        "sgx1-needs-sgx": { clearBit(StructuralRules.sgx.field, in: &$0) },
        "sgx-leaf-reachable": { $0.set(0x0, 0, .eax, to: 0xd) },
        "sgx-functions-need-sgx1": { clearBit(StructuralRules.sgx1.field, in: &$0) },
        "sgx-miscselect-needs-sgx1": { clearBit(StructuralRules.sgx1.field, in: &$0) },
        "sgx-subleaves-need-sgx1": { clearBit(StructuralRules.sgx1.field, in: &$0) },
        "sgx1-needs-attributes": { $0.remove(0x12, 1) },
        "aexnotify-with-edeccssa": { clearBit(StructuralRules.edeccssa.field, in: &$0) },
        "osxsave-needs-xsave": {
            setBit(StructuralRules.osxsave.field, in: &$0)
            clearBit(StructuralRules.xsave.field, in: &$0)
        },
        "xsave-extensions-need-xsave": { clearBit(StructuralRules.xsave.field, in: &$0) },
        "avx-needs-xsave": { clearBit(StructuralRules.xsave.field, in: &$0) },
        "avx512-needs-xsave": { clearBit(StructuralRules.xsave.field, in: &$0) },
        "amx-needs-xsave": { clearBit(StructuralRules.xsave.field, in: &$0) },
        "mpx-pku-apx-need-xsave": { clearBit(StructuralRules.xsave.field, in: &$0) },
        "avx-state": { clearBit(CPUIDField(0xD, 0, .eax, bit: 2), in: &$0) },
        "avx512-state": { clearBit(CPUIDField(0xD, 0, .eax, bit: 6), in: &$0) },
        "amx-state": { clearBit(CPUIDField(0xD, 0, .eax, bit: 18), in: &$0) },
        "mpx-state": { clearBit(CPUIDField(0xD, 0, .eax, bit: 3), in: &$0) },
        "pku-state": { clearBit(CPUIDField(0xD, 0, .eax, bit: 9), in: &$0) },
        "apx-state": { setBit(StructuralRules.apx.field, in: &$0) },
        "xsave-component-sizes": { $0.remove(0xD, 17) },
    ]
}

final class GuestTableCheckerTests: XCTestCase {
    func testConsistentTablePassesEveryRule() {
        XCTAssertEqual(GuestTableChecker.check(ConsistentTable.make()), [])
    }

    func testEveryRuleHasABreakingTable() {
        let names = Set(StructuralRules.all.map(\.name))
        XCTAssertEqual(names.count, StructuralRules.all.count, "rule names are unique")
        XCTAssertEqual(Set(ConsistentTable.breakers.keys), names, "each rule has a test that it refuses a table")
    }

    func testEachRuleRefusesATableBreakingIt() throws {
        for rule in StructuralRules.all {
            let breaker = try XCTUnwrap(ConsistentTable.breakers[rule.name], rule.name)
            var table = ConsistentTable.make()
            breaker(&table)
            let found = GuestTableChecker.check(table).filter { $0.rule.name == rule.name }
            XCTAssertFalse(found.isEmpty, "\(rule.name) should refuse the broken table")
            for violation in found {
                XCTAssertEqual(violation.severity, rule.severity)
                XCTAssertTrue(violation.description.hasPrefix("[\(rule.name)] "), violation.description)
            }
            let errors = GuestTableChecker.errors(in: table).filter { $0.rule.name == rule.name }
            XCTAssertEqual(errors.isEmpty, rule.severity == .advisory, rule.name)
        }
    }

    func testViolationNamesTheDependentAndTheRequirement() throws {
        var table = ConsistentTable.make()
        ConsistentTable.clearBit(StructuralRules.sgx1.field, in: &table)
        let violation = try XCTUnwrap(GuestTableChecker.check(table).first {
            $0.rule.name == "sgx-functions-need-sgx1" && $0.subject == .field(StructuralRules.edeccssa)
        })
        XCTAssertEqual(violation.requirement, StructuralRules.sgx1)
        XCTAssertEqual(violation.detail,
                       "EDECCSSA CPUID.(EAX=12H,ECX=0):EAX[11] is set but SGX1 CPUID.(EAX=12H,ECX=0):EAX[0] is clear")
    }

    func testDisablingXSAVEClearsTheWholeAVXFamily() {
        var table = ConsistentTable.make()
        let accepted = Set(GuestTableChecker.check(table))
        ConsistentTable.clearBit(StructuralRules.xsave.field, in: &table)
        let repaired = GuestTableChecker.propagate(in: &table, accepting: accepted)
        XCTAssertFalse(repaired.isEmpty)
        for field in StructuralRules.xsaveDependentFields {
            XCTAssertFalse(table.isSet(field.field), "\(field) still set")
        }
        XCTAssertEqual(GuestTableChecker.errors(in: table), [])
    }

    func testDisablingSGX1ClearsItsDependentsAndSubleaves() {
        var table = ConsistentTable.make()
        ConsistentTable.clearBit(StructuralRules.sgx1.field, in: &table)
        GuestTableChecker.propagate(in: &table)
        XCTAssertEqual(table.value(0x12, 0, .eax), 0)
        XCTAssertEqual(table.value(0x12, 0, .ebx), 0)
        XCTAssertEqual(table.value(0x12, 0, .edx), 0)
        XCTAssertEqual(table.subleaves(of: 0x12).map(\.subleaf), [0])
        XCTAssertTrue(table.isSet(StructuralRules.sgx.field), "SGX itself does not depend on SGX1")
        XCTAssertEqual(GuestTableChecker.errors(in: table), [])
    }

    func testDisablingSGXEmptiesLeaf12AsKVMReportsIt() {
        var table = ConsistentTable.make()
        ConsistentTable.clearBit(StructuralRules.sgx.field, in: &table)
        GuestTableChecker.propagate(in: &table)
        XCTAssertEqual(table.entry(0x12, 0)?.registers, .zero)
        XCTAssertFalse(table.isSet(StructuralRules.sgxLC.field))
        XCTAssertEqual(GuestTableChecker.errors(in: table), [])
    }

    /// What kvm_pvm's KVM_GET_SUPPORTED_CPUID reported on the development machine (a subset of entries):
    /// 0xD enumerates AVX-512 state although 1.ECX lacks XSAVE, which no rule forbids.
    func testNarrowKVMTableWithStateButNoXSAVEIsConsistent() {
        let table = Snapshot([
            CPUIDEntry(leaf: 0x0, eax: 0x1c, ebx: 0x6874_7541, ecx: 0x444d_4163, edx: 0x6974_6e65),
            CPUIDEntry(leaf: 0x1, eax: 0x00a1_0f11, ebx: 0x0102_0800, ecx: 0x8120_2000, edx: 0x078b_fbff),
            CPUIDEntry(leaf: 0x7, subleaf: 0, eax: 1, ebx: 0x0180_0002, ecx: 0x104, edx: 0x2000_0000),
            CPUIDEntry(leaf: 0x7, subleaf: 1, eax: 0, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 0, eax: 0xe7, ebx: 0x980, ecx: 0x980, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 1, eax: 0, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 2, eax: 0x100, ebx: 0x240, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 5, eax: 0x40, ebx: 0x340, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 6, eax: 0x200, ebx: 0x380, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0xD, subleaf: 7, eax: 0x400, ebx: 0x580, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x4000_0000, eax: 0x4000_0001, ebx: 0x4b4d_564b, ecx: 0x564b_4d56, edx: 0x4d),
            CPUIDEntry(leaf: 0x4000_0001, eax: 0x0100_7efb, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0021, ebx: 0x6874_7541, ecx: 0x444d_4163, edx: 0x6974_6e65),
            CPUIDEntry(leaf: 0x8000_0021, eax: 0x204, ebx: 0, ecx: 6, edx: 0),
        ])
        XCTAssertEqual(GuestTableChecker.check(table), [])
    }

    func testEntriesWithoutTheirRangeLeafAreUnreachable() {
        let table = Snapshot([CPUIDEntry(leaf: 0x8000_0001, eax: 0, ebx: 0, ecx: 1, edx: 0)])
        let violations = GuestTableChecker.check(table)
        XCTAssertEqual(violations.map(\.rule.name), ["extended-leaf-range"])
        XCTAssertTrue(violations[0].detail.contains("no entry 0x80000000"), violations[0].detail)
    }
}
