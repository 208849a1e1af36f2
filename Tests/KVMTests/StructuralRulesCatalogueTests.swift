import CPUID
import X86Features
import XCTest
@testable import KVM

/// `StructuralRules` keeps its own field table (labels are SDM mnemonics and the checker must not need a kernel
/// profile); this holds that table to the feature catalogue wherever the catalogue knows a name or a bit.
final class StructuralRulesCatalogueTests: XCTestCase {
    static let directory = GuestCatalogueDirectoryTests.directory

    /// Every field any rule names, in table order, each once.
    static var ruleFields: [RuleField] {
        var seen: Set<RuleField> = []
        var fields: [RuleField] = []
        for rule in StructuralRules.all {
            let named: [RuleField] = switch rule.condition {
            case let .fieldsRequire(dependents, requirement): dependents + [requirement]
            case let .leafRequires(_, _, requirement): [requirement]
            case let .xsaveComponents(features, _): features
            case let .fieldsRequireEntries(features, _): features
            case .leafRange, .subleafRange, .xsaveComponentSizes: []
            }
            for field in named where seen.insert(field).inserted { fields.append(field) }
        }
        return fields
    }

    /// Where the SDM mnemonic and the kernel's macro are spelt differently for the same bit.
    static let spellings: [String: String] = [
        "EDECCSSA": "SGX_EDECCSSA",
        "EUPDATESVN": "SGX_EUPDATESVN",
        "MISCSELECT.EXINFO": "SGX_MISC_EXINFO",
        "ATTRIBUTES.AEXNOTIFY": "SGX_ATTR_ASYNC_EXIT_NOTIFY",
        "AVX512_VBMI": "AVX512VBMI",
        "APX_F": "APX",
    ]

    func testEveryRuleFieldAgreesWithTheCatalogue() {
        var agreed = 0
        for rule in Self.ruleFields {
            let byName = Self.directory.feature(named: rule.label)
            let byBit = Self.directory.feature(at: rule.field)
            if let byName {
                XCTAssertEqual(byName.field, rule.field, "\(rule.label): the catalogue puts it at another bit")
                agreed += 1
            }
            if let byBit {
                XCTAssertEqual(byBit.macro, byName?.macro ?? Self.spellings[rule.label],
                               "\(rule.field) is \(byBit.macro) in the catalogue, not \(rule.label)")
            }
        }
        // Most rule fields are kernel features; if none resolved, the test above would have checked nothing.
        XCTAssertGreaterThanOrEqual(agreed, 40)
        for (label, macro) in Self.spellings {
            XCTAssertTrue(Self.ruleFields.contains { $0.label == label }, "\(label) is no longer a rule field")
            XCTAssertNil(Self.directory.feature(named: label), "\(label) now resolves by name; drop its spelling row")
            XCTAssertNotNil(Self.directory.feature(named: macro), macro)
        }
    }
}
