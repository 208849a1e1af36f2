import CPUID
import Foundation
import KVM
import X86Features
import XCTest

/// QEMU's feature words, `-cpu` parsing, the model table and its cache: facts and plumbing, no QEMU needed.
final class QEMUModelTests: XCTestCase {
    static let directory = GuestFeatureTable(kernel: KernelProfile.for(KernelVersion(6, 18)))

    func testFeatureWordsAndAliases() throws {
        let hle = try XCTUnwrap(QEMUFeatureWords.bit(named: "hle"))
        XCTAssertEqual(hle.featureWord.field(bit: hle.bit), CPUIDField(7, 0, .ebx, bit: 4))
        XCTAssertEqual(hle.warningText(.classic), "CPUID.07H:EBX.hle [bit 4]")
        XCTAssertEqual(hle.warningText(.bracketed), "CPUID[eax=07h,ecx=00h].EBX.hle [bit 4]")
        let pni = try XCTUnwrap(QEMUFeatureWords.bit(named: "sse3"))
        XCTAssertEqual(pni.name, "pni")
        XCTAssertEqual(pni.warningText(.bracketed), "CPUID[eax=01h].ECX.pni [bit 0]")
        XCTAssertEqual(QEMUFeatureWords.bit(named: "sse4_1")?.name, "sse4.1")
        XCTAssertEqual(QEMUFeatureWords.bit(named: "lahf_lm")?.name, "lahf-lm")
        let rdctl = try XCTUnwrap(QEMUFeatureWords.bit(named: "rdctl-no"))
        XCTAssertEqual(rdctl.warningText(.classic), "MSR(10AH).rdctl-no [bit 0]")
        XCTAssertEqual(rdctl.warningText(.bracketed), "MSR(10Ah).rdctl-no [bit 0]")
        XCTAssertEqual(QEMUFeatureWords.bits(named: "kvmclock").map(\.bit), [0, 3], "QEMU's kvmclock property sets both bits")
        XCTAssertNil(QEMUFeatureWords.bit(named: "no-such-feature"))
        XCTAssertEqual(QEMUFeatureWord.Spelling.of(version: QEMUVersion(7, 2, 22)), .classic)
        XCTAssertEqual(QEMUFeatureWord.Spelling.of(version: QEMUVersion(10, 1, 0)), .bracketed)
    }

    /// Every QEMU name the catalogue gives a CPUID bit is the name QEMU's own word table has at that bit.
    func testCatalogueNamesAgreeWithQEMUsWords() {
        var disagreements: [String] = []
        for bit in QEMUFeatureWords.allBits {
            guard let field = bit.featureWord.field(bit: bit.bit) else { continue }
            let catalogue = Self.directory.features.first { $0.field == field }?.qemuName
            if let catalogue, QEMUFeatureWords.canonicalName(catalogue) != bit.name {
                disagreements.append("\(field): catalogue \(catalogue), QEMU \(bit.name)")
            }
        }
        XCTAssertEqual(disagreements, [])
    }

    func testSpecParsing() throws {
        let spec = try QEMUCPUSpec(parsing: "-cpu EPYC-Rome-v2,+avx512f,-hle,level=16,enforce,pmu=off")
        XCTAssertEqual(spec.model, "EPYC-Rome-v2")
        XCTAssertEqual(spec.plus, ["avx512f"])
        XCTAssertEqual(spec.minus, ["hle"])
        XCTAssertEqual(spec.properties.map(\.name), ["level", "enforce", "pmu"])
        XCTAssertEqual(spec.properties[1].value, "on")
        XCTAssertThrowsError(try QEMUCPUSpec(parsing: "-cpu "))
        XCTAssertThrowsError(try QEMUCPUSpec(parsing: "EPYC,+av x"))
        XCTAssertEqual(try QEMUCPUSpec(parsing: "EPYC,,model-id=A B").properties.map(\.value), ["A B"], "strtok skips empty parts")
    }

    func testBundledTableNamesItsQEMU() throws {
        let table = QEMUBundledModels.table
        XCTAssertTrue(table.versionLine.hasPrefix("QEMU emulator version "), table.versionLine)
        XCTAssertNotNil(table.version)
        let epyc = try XCTUnwrap(table.model(named: "EPYC"))
        XCTAssertEqual(epyc.aliasOf, "EPYC-v1")
        XCTAssertEqual(epyc.vendor, "AuthenticAMD")
        XCTAssertEqual(epyc.family, 23)
        XCTAssertTrue(epyc.features.contains("xgetbv1"))
        XCTAssertEqual(table.model(named: "Skylake-Client-v1")?.vendor, "GenuineIntel")
        XCTAssertTrue(table.models.allSatisfy(\.unknownFeatures.isEmpty))
        XCTAssertFalse(table.models.contains { $0.isDynamic }, "host, max and base depend on the machine")
    }

    func testCacheRoundTripAndCorruption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcpuid-qemu-cache-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "-fake-qemu"
        FileManager.default.createFile(atPath: binary, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let cache = QEMUModelCache(directory: dir + "/nested/vcpuid")
        XCTAssertNil(cache.cached(binary: binary))
        XCTAssertNil(cache.store(QEMUBundledModels.table, binary: binary))
        let read = try XCTUnwrap(cache.cached(binary: binary))
        XCTAssertEqual(read.models, QEMUBundledModels.table.models)
        XCTAssertEqual(read.versionLine, QEMUBundledModels.table.versionLine)
        let file = cache.file(forKey: try XCTUnwrap(QEMUModelCache.key(binary: binary)))
        try Data("{\"format\": \"vcpuid-qemu-models\", \"version\": 1, \"models\": [".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertNil(cache.cached(binary: binary), "a corrupt cache is ignored")
        XCTAssertNil(cache.store(QEMUBundledModels.table, binary: binary))
        XCTAssertNotNil(cache.cached(binary: binary), "and rewritten")
        // A changed binary (size, mtime) has another key: the old answer is not used.
        FileManager.default.createFile(atPath: binary, contents: Data("xy".utf8))
        XCTAssertNil(cache.cached(binary: binary))
    }

    /// The machine: kvm_pvm on Linux 6.18 offers ARCH_CAPABILITIES (7.0:EDX[29], MSR 0x10a) but clears
    /// the bit when it takes a table, then refuses QEMU's non-zero MSR write.
    private func pvmOffer() -> QEMUAcceleratorOffer {
        let supported = Snapshot([
            CPUIDEntry(leaf: 0, eax: 0xd, ebx: 0x6874_7541, ecx: 0x444d_4163, edx: 0x6974_6e65),
            CPUIDEntry(leaf: 1, eax: 0x00a0_0f11, ebx: 0, ecx: 0x8120_2000, edx: 0x078b_fbff),
            CPUIDEntry(leaf: 7, eax: 0, ebx: 0x0180_0002, ecx: 0x4, edx: 0x2000_0000),
            CPUIDEntry(leaf: 0xD, subleaf: 0, eax: 0x7, ebx: 0x340, ecx: 0x340, edx: 0),
            CPUIDEntry(leaf: 0x8000_0000, eax: 0x8000_0021, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x8000_0001, eax: 0, ebx: 0, ecx: 0x0040_0393, edx: 0x23d3_fbff),
        ], msrs: [MSR(0x10A, .value(0x4000_0000_0c00_0069)), MSR(0x8B, .value(0x0100_0065))])
        return QEMUAcceleratorOffer(kvm: supported, kernel: KernelVersion(6, 18, 44), module: .kvmPVM, origin: "test")
    }

    func testHostFailsOnArchCapabilitiesAndTheFixStarts() throws {
        let models = QEMUBundledModels.table
        let host = QEMUStartCheck(spec: try QEMUCPUSpec(parsing: "-cpu host"), models: models, offer: pvmOffer())
        XCTAssertFalse(host.starts)
        XCTAssertTrue(host.warnings.isEmpty)
        guard case let .msrRefused(refusal)? = host.failures.first else { return XCTFail("\(host.failures)") }
        XCTAssertEqual(refusal.msr, 0x10A)
        XCTAssertEqual(refusal.value, 0x69, "QEMU 7.2 names only bits 0, 3, 5, 6 of KVM's 0x400000000c000069")
        XCTAssertTrue(host.failures[0].qemuMessage.hasPrefix("error: failed to set MSR 0x10a to 0x69"))
        XCTAssertTrue(host.failures[0].rule.contains("ARCH_CAPABILITIES"), host.failures[0].rule)

        let fixed = QEMUStartCheck(spec: try QEMUCPUSpec(parsing: "-cpu host,-arch-capabilities"), models: models, offer: pvmOffer())
        XCTAssertTrue(fixed.starts, "\(fixed.failures)")
        XCTAssertEqual(fixed.msrWrites.first { $0.msr == 0x10A }?.value, 0)
    }

    func testNamedModelWarningsAndEnforce() throws {
        let models = QEMUBundledModels.table
        let epyc = QEMUStartCheck(spec: try QEMUCPUSpec(parsing: "-cpu EPYC"), models: models, offer: pvmOffer())
        XCTAssertTrue(epyc.starts)
        let texts = epyc.warnings.map { $0.text(.classic) }
        XCTAssertTrue(texts.contains("warning: host doesn't support requested feature: CPUID.0DH:EAX.xgetbv1 [bit 2]"), "\(texts)")
        XCTAssertEqual(texts.first, "warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]", "QEMU's word order")
        XCTAssertTrue(epyc.warnings.map { $0.text(.bracketed) }.contains("warning: host doesn't support requested feature: CPUID[eax=0Dh,ecx=01h].EAX.xgetbv1 [bit 2]"))

        let enforced = QEMUStartCheck(spec: try QEMUCPUSpec(parsing: "-cpu EPYC,enforce"), models: models, offer: pvmOffer())
        XCTAssertFalse(enforced.starts)
        XCTAssertEqual(enforced.failures.first?.qemuMessage, "Host doesn't support requested features")

        let unknown = QEMUStartCheck(spec: try QEMUCPUSpec(parsing: "-cpu EPYC,+no-such-flag"), models: models, offer: pvmOffer())
        XCTAssertEqual(unknown.failures, [.unknownProperty("no-such-flag")])
        XCTAssertEqual(QEMUStartCheck(spec: QEMUCPUSpec(model: "Nonesuch"), models: models, offer: pvmOffer()).failures,
                       [.unknownModel("Nonesuch")])
    }

    /// An exported line, expanded again the way QEMU would, asks for exactly the table's QEMU-named bits.
    func testExactExportRoundTripsThroughTheExpansion() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fleet")
        let models = QEMUBundledModels.table
        for name in ["zen4-ryzen-7-7700x.cpuid", "skylake-x-i9-10980xe.cpuid", "haswell-i7-4770.cpuid"] {
            let table = try DumpReader.read(path: fixtures.appendingPathComponent(name).path, format: nil).first
            let exact = QEMUExactCPU(table: table, models: models)
            XCTAssertEqual(exact.base.vendor, QEMUExactCPU.vendorString(table), name)
            let everything = QEMUAcceleratorOffer(tcg: Set(QEMUFeatureWords.allBits), kernel: KernelVersion(6, 18), origin: "all")
            let check = QEMUStartCheck(spec: try QEMUCPUSpec(parsing: exact.argument), models: models, offer: everything)
            XCTAssertTrue(check.failures.isEmpty, "\(name): \(check.failures)")
            let (target, msrWords) = QEMUExactCPU.bits(of: table)
            let asked = check.requested.filter { bit in
                guard QEMUExactCPU.isCompared(bit) else { return false }
                if case .msr = bit.featureWord.location { return msrWords.contains(bit.word) }
                return true
            }
            XCTAssertEqual(asked.map(\.name).sorted(), target.map(\.name).sorted(), name)
            XCTAssertFalse(exact.argument.hasPrefix("host"), exact.argument)
        }
    }
}
