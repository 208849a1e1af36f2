import CPUID
import KVM
import X86Features
import XCTest

/// `explain`, the host features KVM leaves out, and the comparison with a live table.
final class ModelExplanationTests: XCTestCase {
    private func predict(_ version: KernelVersion, module: KVMModuleOptions = .intel(),
                         host: Snapshot = ModelHosts.intelSGX) -> SupportedPrediction {
        KVMSupportedModel.predict(host: host, kernel: KernelProfile.for(version), module: module)
    }

    func testEDECCSSAOn61IsMissingFromTheMaskUntil62() throws {
        let verdict = try XCTUnwrap(predict(KernelVersion(6, 1)).explain("sgx_edeccssa"))
        XCTAssertFalse(verdict.offered)
        XCTAssertEqual(verdict.description,
                       "sgx_edeccssa: not offered by kernel 6.1 — KVM's CPUID_12_EAX mask lacks it before 6.2")
        XCTAssertEqual(verdict.field, CPUIDField(0x12, 0, .eax, bit: 11))
    }

    func testEDECCSSAOn62IsOfferedBecauseHostKernelAndMaskHaveIt() throws {
        let verdict = try XCTUnwrap(predict(KernelVersion(6, 2)).explain("SGX_EDECCSSA"))
        XCTAssertTrue(verdict.offered)
        XCTAssertEqual(verdict.summary, "offered by 6.2: host has it, kernel has it, mask has it")
    }

    func testSGXOffIsExplainedByTheVendorModule() throws {
        let verdict = try XCTUnwrap(predict(KernelVersion(6, 18), module: .intel(sgx: false)).explain("sgx"))
        XCTAssertFalse(verdict.offered)
        XCTAssertTrue(verdict.summary.contains("vmx_set_cpu_caps clears it"), verdict.summary)
    }

    func testEmulatedAndMissingHostFeatures() throws {
        let p = predict(KernelVersion(6, 18))
        let x2apic = try XCTUnwrap(p.explain("x2apic"))
        XCTAssertTrue(x2apic.offered)
        XCTAssertTrue(x2apic.summary.contains("emulates"), x2apic.summary)
        let avx512 = try XCTUnwrap(p.explain("avx512f"))
        XCTAssertFalse(avx512.offered)
        XCTAssertTrue(avx512.summary.contains("lacks it"), avx512.summary)
        XCTAssertNil(p.explain("no_such_feature"))
    }

    func testUnofferedHostFeaturesCarryReasons() {
        let p = predict(KernelVersion(6, 1))
        let list = p.unofferedHostFeatures(host: ModelHosts.intelSGX)
        let names = Set(list.map(\.name))
        XCTAssertTrue(names.contains("SGX_EDECCSSA") || names.contains("CPUID_12_EAX bit 11"), "\(names)")
        let edeccssa = list.first { $0.field == CPUIDField(0x12, 0, .eax, bit: 11) }
        XCTAssertEqual(edeccssa?.reason, "KVM's CPUID_12_EAX mask lacks it")
        XCTAssertFalse(list.contains { $0.field == CPUIDField(0x12, 0, .eax, bit: 0) }, "SGX1 is offered")
        XCTAssertTrue(list.allSatisfy { !$0.reason.isEmpty })
    }

    func testDifferencesNameTheModelsRule() {
        let p = predict(KernelVersion(6, 2))
        var live = p.snapshot
        live.set(0x12, 0, .eax, to: 0x3)
        live.remove(0x4000_0001)
        let diffs = p.differences(from: live)
        XCTAssertEqual(diffs.count, 2)
        let bits = diffs.first { $0.kind == .bits }
        XCTAssertEqual(bits?.key, LeafKey(0x12, 0))
        XCTAssertEqual(bits?.rules.map(\.mask), [0x800])
        XCTAssertEqual(bits?.rules.first?.rule.capability?.macro, "SGX_EDECCSSA")
        XCTAssertTrue(diffs.contains { $0.kind == .onlyModel && $0.key == LeafKey(0x4000_0001, 0) })
        XCTAssertTrue(p.differences(from: p.snapshot).isEmpty)
    }
}

extension ModelExplanationTests {
    private func fakeSysModule(_ module: String, parameters: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sysmodule-\(UUID().uuidString)")
        let dir = root.appendingPathComponent(module).appendingPathComponent("parameters")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, value) in parameters {
            try "\(value)\n".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root.path
    }

    func testDetectedModulesBecomeModelOptions() throws {
        let intel = KVMModuleInfo.detect(sysModule: try fakeSysModule("kvm_intel", parameters: ["sgx": "N", "nested": "Y"]))
        let options = try XCTUnwrap(KVMModuleOptions(detected: intel))
        XCTAssertEqual(options.module, .kvmIntel)
        XCTAssertFalse(options.sgxEnabled)
        let pvm = KVMModuleInfo.detect(sysModule: try fakeSysModule("kvm_pvm", parameters: [:]))
        XCTAssertEqual(KVMModuleOptions(detected: pvm)?.module, .kvmPVM)
        XCTAssertFalse(KVMModuleOptions(detected: pvm)?.tdp ?? true, "PVM runs on shadow paging")
        XCTAssertNil(KVMModuleOptions(detected: KVMModuleInfo(name: "kvm_other", parameters: [:])))
        XCTAssertTrue(KVMModuleOptions.coverage(ofLiveModule: "kvm_pvm", modelled: .pvm).contains("virt-pvm"))
    }

    func testTheReportListsWhatTheLiveTableLeavesOut() throws {
        let info = KVMModuleInfo.detect(sysModule: try fakeSysModule("kvm_intel", parameters: ["sgx": "Y"]))
        let host = ModelHosts.intelSGX
        var live = KVMSupportedModel.predict(host: host, kernel: .v6_2, module: .intel()).snapshot
        live.set(0x7, 0, .ebx, to: live.value(0x7, 0, .ebx) & ~(1 << 5))
        let report = KVMUnofferedReport(host: host, live: live, kernel: .v6_2, module: info)
        XCTAssertEqual(report.modelled.module, .kvmIntel)
        let avx2 = report.features.first { $0.field == CPUIDField(7, 0, .ebx, bit: 5) }
        XCTAssertEqual(avx2?.name, "AVX2")
        XCTAssertTrue(avx2?.reason.contains("the live module does not") ?? false, "\(String(describing: avx2))")
        let modelOnly = KVMUnofferedReport(host: host, live: nil, kernel: .v6_2, module: info)
        XCTAssertFalse(modelOnly.features.contains { $0.field == CPUIDField(7, 0, .ebx, bit: 5) })
    }
}

extension ModelExplanationTests {
    func testTheReportSectionHandsItsLiveTableToTheModel() {
        let host = ModelHosts.intelSGX
        var live = KVMSupportedModel.predict(host: host, kernel: .v6_18, module: .intel()).snapshot
        live.set(0x1, 0, .ecx, to: live.value(0x1, 0, .ecx) & ~(1 << 28))
        let section = KVMReportSection(module: KVMModuleInfo(name: "kvm_intel", parameters: ["sgx": "Y"]),
                                       devicePresent: true, apiVersion: 12, supportedEntryCount: live.count,
                                       supported: live, error: nil)
        let report = section.unofferedFeatures(host: host, kernel: .v6_18)
        XCTAssertEqual(report.features.first { $0.field == CPUIDField(1, 0, .ecx, bit: 28) }?.name, "AVX")
        XCTAssertEqual(report.coverage, "kvm_intel is modelled")
    }
}

extension ModelExplanationTests {
    func testVendorOnlyAndPassthroughFeaturesAreExplainedByWhatDecidesThem() throws {
        let amd61 = KVMSupportedModel.predict(host: ModelHosts.amdZen4, kernel: .v6_1, module: .amd)
        let vmx = try XCTUnwrap(amd61.explain("vmx"))
        XCTAssertEqual(vmx.summary, "not offered by kernel 6.1 — KVM's CPUID_1_ECX mask lacks it and only kvm_intel sets it; the model is kvm_amd")
        let amd618 = KVMSupportedModel.predict(host: ModelHosts.amdZen4, kernel: .v6_18, module: .amd)
        let la57 = try XCTUnwrap(amd618.explain("la57"))
        XCTAssertTrue(la57.summary.hasSuffix("the host CPU lacks it (CPUID.(EAX=07H,ECX=0):ECX[16] = 0)"), la57.summary)
        let svm = try XCTUnwrap(amd618.explain("svm"))
        XCTAssertTrue(svm.offered)
        XCTAssertTrue(svm.summary.contains("svm_set_cpu_caps sets it"), svm.summary)
    }
}
